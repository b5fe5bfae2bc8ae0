// tests/wasi/p2: builds and checks the JavaScript command component of js/ (label wasi). Copied beside
// the node_modules of the real-component work folder (fixture component_real), since bare imports
// resolve from the script's own location.
//   node js_command.mjs build SRC_DIR OUT_DIR
//       componentize-js (default features) on SRC_DIR/command.js with the world SRC_DIR/command.wit;
//       the wasi packages come from jco's builtin WIT. Writes OUT_DIR/command.wasm.
//   node js_command.mjs compare AIRWASM COMPONENT WORK_DIR
//       starts a loopback HTTP server, then runs the component twice with the same arguments,
//       environment and a preopened /data: with `airwasm run -S http`, and under jco transpile on node
//       with preview2-shim (the reference, in a child process: `reference` below). stdout, stderr and
//       the exit status must be equal, and the server must have seen the request. Then once more on
//       airwasm without -S http: the fetch must fail (an error value the program prints), not trap.
//   node js_command.mjs reference COMPONENT OUT_DIR DATA_DIR ARGS...   (used by compare)
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [mode, ...argv] = process.argv.slice(2);
const args = ['first', 'two words'];

async function build(srcDir, outDir) {
  const wit = join(outDir, 'wit');
  await rm(wit, { recursive: true, force: true });
  await mkdir(join(wit, 'deps'), { recursive: true });
  await cp(join(srcDir, 'command.wit'), join(wit, 'command.wit'));
  const builtin = join(here, 'node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12');
  for (const pkg of ['wasi-cli', 'wasi-clocks', 'wasi-filesystem', 'wasi-http', 'wasi-io', 'wasi-random', 'wasi-sockets'])
    await cp(join(builtin, pkg), join(wit, 'deps', pkg), { recursive: true });
  const { componentize } = await import('@bytecodealliance/componentize-js');
  // componentize-js reads the WIT through preview2-shim's file system, which starts with nothing
  // preopened (see tests/component/real/build.mjs).
  const { _setPreopens } = await import('@bytecodealliance/preview2-shim/filesystem');
  _setPreopens({ '/': '/' });
  const { component } = await componentize({
    sourcePath: resolve(join(srcDir, 'command.js')),
    witPath: resolve(wit),
    worldName: 'command',
  });
  await writeFile(join(outDir, 'command.wasm'), component);
  console.log(`${join(outDir, 'command.wasm')}: ${component.length} bytes`);
}

function run(cmd, cmdArgs, env) {
  return new Promise((res) => {
    const child = spawn(cmd, cmdArgs, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}

async function freshData(workDir, name) {
  const data = join(workDir, name);
  await rm(data, { recursive: true, force: true });
  await mkdir(data, { recursive: true });
  await writeFile(join(data, 'in.txt'), 'input for javascript\n');
  return data;
}

async function compare(airwasm, component, workDir) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push(`${req.method} ${req.url}`);
      res.setHeader('x-echo-method', req.method);
      res.setHeader('content-type', 'text/plain');
      res.end(`you sent ${req.method} ${req.url} x-airwasm=${req.headers['x-airwasm']} body=${body}`);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const env = { GREETING: 'hello from the host', PORT: String(server.address().port) };
  const envFlags = Object.keys(env).flatMap((k) => ['--env', k]);
  let failed = false;
  const check = (what, ok, detail) => {
    console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
    if (!ok) {
      failed = true;
      if (detail) console.log(detail);
    }
  };

  const airData = await freshData(workDir, 'data-airwasm');
  const t0 = Date.now();
  const air = await run(airwasm, ['run', '-S', 'http', '--dir', `${airData}::/data`, ...envFlags, component, ...args], env);
  const t1 = Date.now();
  const refData = await freshData(workDir, 'data-node');
  // The transpiled files go beside node_modules, where their bare preview2-shim imports resolve.
  const transpiled = join(here, 'js_command_transpiled');
  const ref = await run(process.execPath, [fileURLToPath(import.meta.url), 'reference', component, transpiled, refData, ...args], env);
  const t2 = Date.now();
  console.log(`airwasm: ${t1 - t0} ms, jco transpile + node: ${t2 - t1} ms`);
  console.log('--- airwasm stdout\n' + air.stdout + '--- airwasm stderr\n' + air.stderr + `--- exit ${air.code}`);
  check('same stdout as jco transpile on node', air.stdout === ref.stdout, '--- node stdout\n' + ref.stdout);
  check('same stderr', air.stderr === ref.stderr, '--- node stderr\n' + ref.stderr);
  check('same exit status', air.code === ref.code, `node: ${ref.code}`);
  check('the fetch reached the server from both', requests.length === 2 && requests.every((r) => r === 'POST /hello?x=1'), requests.join('\n'));
  check('the fetch answer was printed', air.stdout.includes('fetch body "you sent POST /hello?x=1 x-airwasm=yes body=ping"'));
  check('the file written in /data holds the text', (await readFile(join(airData, 'out.txt'), 'utf8')) === 'written by javascript\n');

  const denied = await run(airwasm, ['run', '--dir', `${await freshData(workDir, 'data-denied')}::/data`, ...envFlags, component, ...args], env);
  check('without -S http the fetch fails with an error value, and the program goes on', denied.code === 0 &&
        denied.stderr.startsWith('error ') && !denied.stdout.includes('fetch status') &&
        denied.stdout === air.stdout.slice(0, air.stdout.indexOf('fetch status')), JSON.stringify(denied));
  check('no request reached the server without -S http', requests.length === 2);
  server.close();
  process.exit(failed ? 1 : 0);
}

async function reference(component, workDir, dataDir, ...guestArgs) {
  const { transpile } = await import('@bytecodealliance/jco');
  const dir = resolve(workDir);
  await mkdir(dir, { recursive: true });
  const { files } = await transpile(await readFile(component), { name: 'command', noTypescript: true });
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), data);
  }
  // ES modules (else node warns on stderr, which the comparison reads).
  await writeFile(join(dir, 'package.json'), '{"type": "module"}\n');
  const { _setPreopens } = await import('@bytecodealliance/preview2-shim/filesystem');
  _setPreopens({ '/data': resolve(dataDir) });
  const cli = await import('@bytecodealliance/preview2-shim/cli');
  // The same argv[0] as `airwasm run` gives (the component's path) and only the variables passed.
  cli._setArgs([component, ...guestArgs]);
  cli._setEnv({ GREETING: process.env.GREETING, PORT: process.env.PORT });
  const mod = await import(pathToFileURL(join(dir, 'command.js')).href);
  (mod.run ?? mod['wasi:cli/run@0.2.12']).run();
}

const modes = { build, compare, reference };
if (!modes[mode]) {
  console.error('usage: node js_command.mjs build SRC_DIR OUT_DIR | compare AIRWASM COMPONENT WORK_DIR');
  process.exit(2);
}
await modes[mode](...argv);
