// tests/component/real: a plugin guest written in JavaScript, implementing the `plugin` world of
// ../wit/plugin.wit; componentize-js (StarlingMonkey) turns it into a component. It uses every host
// import so that they all stay in the component's type: log, now-ms, send and the kv-store resource.
import { log, nowMs, send, KvStore } from 'airwasm:plugin/host@0.1.0';

let store = null;
let sequence = 0n;
const prefix = new TextEncoder().encode('echo: ');

export const guest = {
  describe() {
    return {
      name: 'js-plugin',
      version: [0, 1, 0],
      needs: { storage: true, network: true, timers: false },
      verbosity: 'debug',
    };
  },

  // Echoes the message back with a prefix after storing and forwarding it; an empty message gets none.
  handleMessage(msg) {
    log('debug', `js-plugin: message of ${msg.length} bytes at ${nowMs()} ms`);
    if (store === null) store = new KvStore('js-plugin');
    store.get('last');
    store.set('last', msg);
    sequence += 1n;
    try {
      send('observer', { sender: 'js-plugin', sequence, tags: ['echo', 'js'] }, { tag: 'binary', val: msg });
    } catch (e) {
      log('warn', `send failed: ${e.payload ?? e}`);
    }
    if (msg.length === 0) return undefined;
    const reply = new Uint8Array(prefix.length + msg.length);
    reply.set(prefix, 0);
    reply.set(msg, prefix.length);
    return reply;
  },

  handleCallback(id, outcome) {
    if (outcome.tag === 'err') log('error', `callback ${id} failed: ${outcome.val}`);
    if (id === 0 && store !== null) store = null;  // callback 0 means "shut down"
    return outcome.tag === 'ok';
  },
};
