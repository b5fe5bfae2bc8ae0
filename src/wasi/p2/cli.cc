// wasi/p2: the wasi:cli interfaces: environment, exit, stdin/stdout/stderr and the five terminal-*
// interfaces (ten tiny interfaces, one file: each is one or two functions over the same config).
// exit ends the guest with Trap::exit, as preview 1's proc_exit does, so the embedder sees the status.
// No stdio is reported as a terminal: get-terminal-* return none (as wasmtime does when not a tty, and
// always a safe answer).
#include "wasi/p2/state.hh"

namespace airwasm::wasi::p2::internal {
namespace {

TrapResult<void> get_environment(Call& c) {
  std::vector<Val> out;
  for (const auto& [k, v] : c.st.env) out.push_back(Val::tuple({Val::string(k), Val::string(v)}));
  c.ret(Val::list(std::move(out)));
  return {};
}
TrapResult<void> get_arguments(Call& c) {
  std::vector<Val> out;
  for (const auto& a : c.st.args) out.push_back(Val::string(a));
  c.ret(Val::list(std::move(out)));
  return {};
}
TrapResult<void> initial_cwd(Call& c) {
  c.ret(c.st.initial_cwd ? Val::some(Val::string(*c.st.initial_cwd)) : Val::none());
  return {};
}

TrapResult<void> exit(Call& c) {
  const bool success = !c.p.empty() && c.p[0].is_ok();
  return std::unexpected(Trap::exit(success ? 0 : 1));
}
TrapResult<void> exit_with_code(Call& c) {
  return std::unexpected(Trap::exit(c.p.empty() ? 1 : int(c.p[0].as_u8())));
}

TrapResult<void> get_stdin(Call& c) {
  c.ret(c.own(std::make_unique<InputStreamObj>(InputStreamObj::What::kStdin)));
  return {};
}
TrapResult<void> get_stdout(Call& c) {
  c.ret(c.own(std::make_unique<OutputStreamObj>(OutputStreamObj::What::kStdout)));
  return {};
}
TrapResult<void> get_stderr(Call& c) {
  c.ret(c.own(std::make_unique<OutputStreamObj>(OutputStreamObj::What::kStderr)));
  return {};
}
TrapResult<void> no_terminal(Call& c) {
  c.ret(Val::none());
  return {};
}

constexpr FuncDef kEnvironment[] = {
    {"get-environment", get_environment}, {"get-arguments", get_arguments}, {"initial-cwd", initial_cwd}};
constexpr FuncDef kExit[] = {{"exit", exit}, {"exit-with-code", exit_with_code}};
constexpr FuncDef kStdin[] = {{"get-stdin", get_stdin}};
constexpr FuncDef kStdout[] = {{"get-stdout", get_stdout}};
constexpr FuncDef kStderr[] = {{"get-stderr", get_stderr}};
constexpr FuncDef kTermStdin[] = {{"get-terminal-stdin", no_terminal}};
constexpr FuncDef kTermStdout[] = {{"get-terminal-stdout", no_terminal}};
constexpr FuncDef kTermStderr[] = {{"get-terminal-stderr", no_terminal}};

}  // namespace

Result<void> define_cli(component::Linker& l, const ContextGetter& g) {
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/environment")), g, kEnvironment, {}));
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/exit")), g, kExit, {}));
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/stdin")), g, kStdin, {{"input-stream", Kind::kInputStream}}));
  AIRWASM_TRY(
      define(l.instance(iface("wasi:cli/stdout")), g, kStdout, {{"output-stream", Kind::kOutputStream}}));
  AIRWASM_TRY(
      define(l.instance(iface("wasi:cli/stderr")), g, kStderr, {{"output-stream", Kind::kOutputStream}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/terminal-input")), g, {},
                     {{"terminal-input", Kind::kTerminalInput}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/terminal-output")), g, {},
                     {{"terminal-output", Kind::kTerminalOutput}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/terminal-stdin")), g, kTermStdin,
                     {{"terminal-input", Kind::kTerminalInput}}));
  AIRWASM_TRY(define(l.instance(iface("wasi:cli/terminal-stdout")), g, kTermStdout,
                     {{"terminal-output", Kind::kTerminalOutput}}));
  return define(l.instance(iface("wasi:cli/terminal-stderr")), g, kTermStderr,
                {{"terminal-output", Kind::kTerminalOutput}});
}

}  // namespace airwasm::wasi::p2::internal
