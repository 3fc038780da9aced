// A TCP proxy between HMS and PostgreSQL that breaks the network on demand, the two ways networks
// break: `reset` (connections cut, new ones refused: a database restart, a firewall's RST) and
// `blackhole` (connections accepted but nothing comes back: a partition, a dead host).
import net from 'node:net';

export type ProxyMode = 'pass' | 'reset' | 'blackhole';

interface Link {
  client: net.Socket;
  server: net.Socket | null;
  /** What HMS sent as the network went dark: delivered when it comes back, as TCP would retransmit it. */
  held: Buffer[];
}

export class FaultProxy {
  mode: ProxyMode = 'pass';
  private readonly links = new Set<Link>();
  private trigger: { text: Buffer; action: () => void } | null = null;
  private listener: net.Server;

  private constructor(private readonly target: { host: string; port: number }, public readonly port: number) {
    this.listener = this.newListener();
  }

  /** A proxy on a free loopback port towards host:port. */
  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const proxy = new FaultProxy(target, port);
    await proxy.listen();
    return proxy;
  }

  /** The same PostgreSQL URL, through this proxy. */
  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Every connection is cut (RST) and the port stops accepting: connecting is refused. */
  async reset(): Promise<void> {
    this.mode = 'reset';
    for (const link of this.links) this.cut(link);
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  /** Connections stay open and new ones are accepted, but not a byte goes either way. */
  blackhole(): void {
    this.mode = 'blackhole';
    for (const link of this.links) {
      link.client.pause();
      link.server?.pause();
    }
  }

  /** The network is back: stalled connections go on where they were, new ones are served. */
  async restore(): Promise<void> {
    const was = this.mode;
    this.mode = 'pass';
    if (was === 'reset') {
      this.listener = this.newListener();
      await this.listen();
      return;
    }
    for (const link of this.links) {
      if (!link.server) this.connectUpstream(link);
      for (const chunk of link.held.splice(0)) link.server!.write(chunk);
      link.client.resume();
      link.server?.resume();
    }
  }

  /**
   * Runs `action` the moment HMS sends a statement containing `text` (before it reaches the
   * database): a fault in the middle of a transaction, at a known step.
   */
  onceStatement(text: string, action: () => void): void {
    this.trigger = { text: Buffer.from(text), action };
  }

  /** Connections open through the proxy right now. */
  get connections(): number {
    return this.links.size;
  }

  async close(): Promise<void> {
    for (const link of this.links) this.cut(link);
    if (this.listener.listening) await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private newListener(): net.Server {
    return net.createServer((client) => this.accept(client));
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(this.port, '127.0.0.1', () => {
        this.listener.off('error', reject);
        resolve();
      });
    });
  }

  private accept(client: net.Socket): void {
    const link: Link = { client, server: null, held: [] };
    this.links.add(link);
    client.on('error', () => this.cut(link));
    client.on('close', () => this.cut(link));
    if (this.mode === 'blackhole') {
      client.pause(); // accepted, then silence: the client's start-up message waits unanswered
      return;
    }
    this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    const server = net.connect(this.target.port, this.target.host);
    link.server = server;
    server.on('error', () => this.cut(link));
    server.on('close', () => this.cut(link));
    // Written by hand rather than piped, so that pausing either side stalls it without buffering.
    link.client.on('data', (chunk: Buffer) => {
      if (this.trigger && chunk.includes(this.trigger.text)) {
        const { action } = this.trigger;
        this.trigger = null;
        action();
      }
      if (this.mode === 'pass') server.write(chunk);
      else if (this.mode === 'blackhole') link.held.push(chunk);
    });
    server.on('data', (chunk) => link.client.write(chunk));
  }

  private cut(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.resetAndDestroy();
    link.server?.resetAndDestroy();
  }
}
