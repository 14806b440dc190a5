import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { allReplies } from '../../test/support/http.js';
import { JAMBONZ_SESSION_NEW_SAMPLE } from './jambonz-samples.js';
import { connectLikeJambonz, JambonzUpgradeRefusedError } from './jambonz-ws.client.js';
import { TEST_CREDENTIALS } from './testing.constants.js';

/*
 * The client must connect as jambonz's feature server does (lib/utils/ws-requestor.js): a real
 * `ws` server on loopback records what arrives, and answers as each test needs.
 */

/** A `ws` server on loopback that records each upgrade's headers and each frame, and answers with `onFrame`. */
class Recorder {
  readonly upgrades: IncomingHttpHeaders[] = [];
  readonly frames: Array<Record<string, unknown>> = [];
  /** The close codes the clients sent. */
  readonly closes: number[] = [];
  /** What the server does with each text frame; default: ack it without data. */
  onFrame: (frame: Record<string, unknown>, socket: WebSocket) => void = (frame, socket) =>
    socket.send(JSON.stringify({ type: 'ack', msgid: frame.msgid }));
  /** How the server picks a subprotocol; default: the first offered. */
  selectProtocol: (offered: Set<string>) => string | false = (offered) => [...offered][0] ?? false;
  private readonly http: Server = createServer();
  private readonly wss = new WebSocketServer({
    server: this.http,
    handleProtocols: (offered) => this.selectProtocol(offered),
    verifyClient: ({ req }: { req: { headers: IncomingHttpHeaders } }) => {
      this.upgrades.push(req.headers);
      return true;
    },
  });
  url = '';

  constructor() {
    this.wss.on('connection', (socket) => {
      socket.on('close', (code) => this.closes.push(code));
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        const frame = JSON.parse(data.toString()) as Record<string, unknown>;
        this.frames.push(frame);
        this.onFrame(frame, socket);
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/ws`;
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise((resolve) => this.wss.close(resolve));
    await new Promise((resolve) => this.http.close(resolve));
  }
}

describe('connectLikeJambonz', () => {
  const server = new Recorder();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  afterEach(() => {
    server.onFrame = (frame, socket) => socket.send(JSON.stringify({ type: 'ack', msgid: frame.msgid }));
    server.selectProtocol = (offered) => [...offered][0] ?? false;
  });

  it("opens the socket with jambonz's headers: ws.jambonz.org, Basic TEST_CREDENTIALS in UTF-8, user-agent jambonz", async () => {
    const client = await connectLikeJambonz(server.url);
    await client.close();
    const basic = Buffer.from(`${TEST_CREDENTIALS.username}:${TEST_CREDENTIALS.password}`, 'utf8').toString('base64');
    expect(server.upgrades.at(-1)).toMatchObject({
      'sec-websocket-protocol': 'ws.jambonz.org',
      authorization: `Basic ${basic}`,
      'user-agent': 'jambonz',
    });
    expect(client.protocol).toBe('ws.jambonz.org');
  });

  it('offers audio.jambonz.org for an audio stream, sends no credentials when told, and adds headers', async () => {
    const client = await connectLikeJambonz(server.url, {
      kind: 'audio',
      credentials: null,
      headers: { authorization: 'Bearer t', 'x-extra': '1' },
    });
    await client.close();
    expect(server.upgrades.at(-1)).toMatchObject({
      'sec-websocket-protocol': 'audio.jambonz.org',
      authorization: 'Bearer t',
      'x-extra': '1',
    });
  });

  it('sends credentials as UTF-8, a password with colons whole', async () => {
    await (await connectLikeJambonz(server.url, { credentials: { username: 'zoë', password: 'a:b:ç' } })).close();
    expect(server.upgrades.at(-1)!.authorization).toBe(`Basic ${Buffer.from('zoë:a:b:ç', 'utf8').toString('base64')}`);
  });

  it("sends session:new as jambonz writes it, the sample's data by default, and resolves with the ack", async () => {
    server.onFrame = (frame, socket) =>
      socket.send(JSON.stringify({ type: 'ack', msgid: frame.msgid, data: [{ verb: 'hangup' }] }));
    const client = await connectLikeJambonz(server.url);
    const ack = await client.sessionNew();
    const frame = server.frames.at(-1)!;
    expect(frame).toEqual({
      type: 'session:new',
      msgid: expect.any(String),
      call_sid: JAMBONZ_SESSION_NEW_SAMPLE.call_sid,
      data: JAMBONZ_SESSION_NEW_SAMPLE.data,
    });
    expect(ack).toEqual({ type: 'ack', msgid: frame.msgid, data: [{ verb: 'hangup' }] });
    await client.sessionReconnect();
    expect(server.frames.at(-1)).toEqual({ ...frame, type: 'session:reconnect', msgid: expect.any(String) });
    expect(server.frames.at(-1)!.msgid).not.toBe(frame.msgid);
    await client.close();
  });

  it('matches acks by msgid, handing other frames to nextFrame in order', async () => {
    server.onFrame = (frame, socket) => {
      socket.send(JSON.stringify({ type: 'command', command: 'redirect', data: [] }));
      socket.send(JSON.stringify({ type: 'ack', msgid: 'someone else' }));
      socket.send('not json');
      socket.send(JSON.stringify({ type: 'ack', msgid: frame.msgid }));
    };
    const client = await connectLikeJambonz(server.url);
    await client.request('verb:hook', { digits: '1' }, { hook: '/gather', callSid: 'c1' });
    expect(server.frames.at(-1)).toMatchObject({ type: 'verb:hook', hook: '/gather', call_sid: 'c1' });
    expect([await client.nextFrame(), await client.nextFrame(), await client.nextFrame()]).toEqual([
      { type: 'command', command: 'redirect', data: [] },
      { type: 'ack', msgid: 'someone else' },
      'not json',
    ]);
    await client.close();
  });

  it('gives up on an ack after the ack timeout, and on waiters when the connection closes', async () => {
    server.onFrame = () => undefined;
    const client = await connectLikeJambonz(server.url, { ackTimeout: 50 });
    await expect(client.sessionNew()).rejects.toThrow('no ack to session:new within 50 ms');
    const waiting = client.nextFrame(5000);
    for (const socket of [...(server as unknown as { wss: WebSocketServer }).wss.clients]) socket.close(4000, 'bye');
    await expect(waiting).rejects.toThrow('the connection closed (4000 bye)');
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
    await expect(client.nextFrame()).rejects.toThrow('the connection is closed (4000)');
  });

  it('refuses to send a type with the wrong expectation of an ack', async () => {
    const client = await connectLikeJambonz(server.url);
    expect(() => client.request('call:status', {})).toThrow(new TypeError('call:status takes no ack: send it with notify()'));
    expect(() => client.notify('verb:hook', {})).toThrow(new TypeError('verb:hook waits for an ack: send it with request()'));
    await client.close();
  });

  it("closes, as jambonz's client does, on a frame over 24 KiB from the app (1009), and takes one of exactly 24 KiB", async () => {
    const overhead = JSON.stringify({ type: 'command', command: 'redirect', data: '' }).length;
    const frame = (size: number) => JSON.stringify({ type: 'command', command: 'redirect', data: 'x'.repeat(size - overhead) });
    expect(frame(24 * 1024).length).toBe(24 * 1024);
    server.onFrame = (received, socket) => socket.send(frame(received.data === 'over' ? 24 * 1024 + 1 : 24 * 1024));
    const client = await connectLikeJambonz(server.url);
    client.notify('call:status', 'exact');
    expect(await client.nextFrame()).toMatchObject({ command: 'redirect' });
    const closes = server.closes.length;
    client.notify('call:status', 'over');
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.closes.slice(closes)).toEqual([1009]);
  });

  it('fails like jambonz when the server selects no subprotocol', async () => {
    server.selectProtocol = () => false;
    await expect(connectLikeJambonz(server.url)).rejects.toThrow('Server sent no subprotocol');
  });

  it('fails after jambonz’s 1.5 s when the server never answers the handshake', async () => {
    const silent = createServer();
    const sockets: Array<{ destroy(): void }> = [];
    // Takes the upgrade, never answers it.
    silent.on('upgrade', (_request, socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/ws`;
      await expect(connectLikeJambonz(url)).rejects.toThrow('Opening handshake has timed out');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('rejects with the status, headers and body of a refused upgrade', async () => {
    const refusing = createServer();
    refusing.on('upgrade', (_request, socket) =>
      socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\nContent-Length: 12\r\n\r\nUnauthorized'),
    );
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      const url = `ws://127.0.0.1:${(refusing.address() as AddressInfo).port}/ws`;
      const refused = (await connectLikeJambonz(url).catch((error: unknown) => error)) as JambonzUpgradeRefusedError;
      allReplies.push(`${refused.status} ${JSON.stringify(refused.headers)} ${refused.body}`);
      expect(refused).toBeInstanceOf(JambonzUpgradeRefusedError);
      expect([refused.status, refused.statusText, refused.headers['www-authenticate'], refused.body]).toEqual([
        401,
        'Unauthorized',
        'Basic realm="x"',
        'Unauthorized',
      ]);
      expect(refused.message).toBe('the server refused the WebSocket upgrade: HTTP 401 Unauthorized');
    } finally {
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});
