/**
 * Preloaded into each service process the benchmark starts
 * (`node --import tsx --import bench/runner/service-probe.ts <service entry>`), next
 * to the unchanged service. Over the IPC channel it answers `start` and
 * `stop` with a Meter reading of the process for the phase in between (the
 * launcher's child guard stops the service if the benchmark goes away
 * without stopping it).
 */
import { Meter } from './meter';

export type ProbeRequest = { type: 'start'; profile: boolean } | { type: 'stop' };

const send = process.send?.bind(process);
if (send) {
  const meter = new Meter(true);
  process.on('message', (request: ProbeRequest) => {
    const answer = request.type === 'start' ? meter.start(request.profile).then(() => ({ type: 'started' })) : meter.stop();
    answer.then(
      (message) => send(message),
      (error: unknown) => send({ type: 'error', error: String(error) }),
    );
  });
}
