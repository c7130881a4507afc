// The worker under the V8 CPU profiler (node --cpu-prof is not allowed in NODE_OPTIONS): the profile goes to DW_CPU_PROFILE at exit.
import fs from 'node:fs';
import inspector from 'node:inspector';
import { main } from '../worker';

const session = new inspector.Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

void (async () => {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  await main();
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  fs.writeFileSync(process.env.DW_CPU_PROFILE as string, JSON.stringify(profile));
  process.exit(0);
})();
