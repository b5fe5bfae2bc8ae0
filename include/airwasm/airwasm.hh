// airwasm public API: umbrella header.
#pragma once

#include "airwasm/engine.hh"
#include "airwasm/error.hh"
#include "airwasm/extern.hh"
#include "airwasm/instance.hh"
#include "airwasm/module.hh"
#include "airwasm/scheduler.hh"
#include "airwasm/sliced.hh"
#include "airwasm/store.hh"
#include "airwasm/trap.hh"
#include "airwasm/typed_func.hh"
#include "airwasm/types.hh"
#include "airwasm/value.hh"
