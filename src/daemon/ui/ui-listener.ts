/**
 * The UI listener's life: started on demand (`runledger ui` → POST /v1/ui),
 * on 127.0.0.1 only, then kept until the daemon stops, with one random
 * token for that whole time (in memory only: a new daemon, a new token).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { RunledgerError } from '../../errors.js';
import type { UiRequest, UiResponse } from '../api.js';
import type { AppendMeter } from '../append-meter.js';
import type { DaemonContext } from '../context.js';
import { closeServer } from '../server-close.js';
import { createMetricsEndpoint, type MetricsEndpoint } from './metrics.js';
import { createUiServer } from './ui-server.js';

export const UI_HOST = '127.0.0.1';

export class UiListener {
  private readonly token = randomBytes(32).toString('base64url');
  private server: Server | undefined;
  private port = 0;
  private starting: Promise<UiResponse> | undefined;
  private metrics: Promise<MetricsEndpoint> | undefined;
  private runIdLabels = false;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly meter: AppendMeter,
  ) {}

  /** Start listening unless already; the answer's URL carries the token. */
  async ensure(req: UiRequest): Promise<UiResponse> {
    if (req.metricsRunIds !== undefined) this.runIdLabels = req.metricsRunIds;
    if (this.starting) {
      const running = await this.starting;
      if (req.port !== undefined && req.port !== running.port)
        throw new RunledgerError('UI_PORT_UNAVAILABLE', `the UI already listens on port ${running.port}; stop the daemon to move it`, {
          port: running.port,
          requested: req.port,
        });
      return { ...running, started: false };
    }
    this.starting = this.listen(req.port ?? 0);
    try {
      return await this.starting;
    } catch (err) {
      this.starting = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server, this.ctx.openStreams);
  }

  private async listen(port: number): Promise<UiResponse> {
    const server = createUiServer(this.ctx, {
      identity: () => ({ port: this.port, token: this.token }),
      metrics: () => (this.metrics ??= createMetricsEndpoint(this.ctx, this.meter, () => this.runIdLabels)),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new RunledgerError('UI_PORT_UNAVAILABLE', `cannot listen on ${UI_HOST}:${port}: ${err.code ?? err.message}`, {
            port,
            errno: err.code,
          }),
        ),
      );
      server.listen({ host: UI_HOST, port }, resolve);
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    this.ctx.log.info('ui listening', { host: UI_HOST, port: this.port });
    return { url: `http://${UI_HOST}:${this.port}/?token=${this.token}`, port: this.port, started: true };
  }
}
