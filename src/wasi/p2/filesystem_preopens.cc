// wasi/p2: wasi:filesystem/preopens. Each call hands out fresh descriptors for the configured
// directories (sharing their fds), so a guest that drops them can ask again.
#include "wasi/p2/filesystem.hh"

namespace airwasm::wasi::p2::internal {
namespace {

TrapResult<void> get_directories(Call& c) {
  std::vector<Val> out;
  for (const PreopenDir& p : c.st.preopens) {
    auto d = std::make_unique<DescriptorObj>();
    d->fd = p.fd;
    d->is_dir = true;
    d->readable = true;
    d->mutate_dir = true;
    out.push_back(Val::tuple({c.own(std::move(d)), Val::string(p.name)}));
  }
  c.ret(Val::list(std::move(out)));
  return {};
}

constexpr FuncDef kFuncs[] = {{"get-directories", get_directories}};

}  // namespace

Result<void> define_filesystem_preopens(LinkerInstance inst, const ContextGetter& g) {
  return define(inst, g, kFuncs, {{"descriptor", Kind::kDescriptor}});
}

}  // namespace airwasm::wasi::p2::internal
