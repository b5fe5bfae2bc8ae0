// airwasm public API: the Component Model (umbrella header): compile components, link them with host
// functions and resources, instantiate them in a Store and call their exports with dynamic values (Val) or
// typed C++ values.
#pragma once

#include "airwasm/component/component.hh"
#include "airwasm/component/func.hh"
#include "airwasm/component/instance.hh"
#include "airwasm/component/linker.hh"
#include "airwasm/component/resource.hh"
#include "airwasm/component/typed.hh"
#include "airwasm/component/val.hh"
#include "airwasm/component/wave.hh"
