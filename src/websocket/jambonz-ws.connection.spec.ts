import { BasicCredentialsVerifier } from '../core/index.js';
import { JambonzFrameTooLargeError } from './jambonz-frame-too-large.error.js';
import type { JambonzGatewayPolicy } from './jambonz-gateway.policy.js';
import { decideUpgrade, offeredProtocols, type JambonzUpgradeDecision } from './jambonz-upgrade.decision.js';
import { JambonzWsConnection, type JambonzSocket } from './jambonz-ws.connection.js';
import { JAMBONZ_SUBPROTOCOLS, JAMBONZ_WS_CONNECTION } from './jambonz-ws.constants.js';

const CALL_HOOK = { username: 'jambonz', password: 'p:ss wörd' };
const AUTHORIZATION = `Basic ${Buffer.from('jambonz:p:ss wörd').toString('base64')}`;

function policy(kind: 'api' | 'audio', open = false): JambonzGatewayPolicy {
  return {
    gateway: 'Gateway',
    path: '/ws',
    port: 0,
    kind,
    credentials: open ? undefined : new BasicCredentialsVerifier([{ username: 'old', password: 'old-pass' }, CALL_HOOK]),
    credentialSet: open ? undefined : 'default',
    protocols: JAMBONZ_SUBPROTOCOLS[kind],
    maxIncomingFrameBytes: 1024,
    maxOutgoingFrameBytes: 100,
    challenge: 'Basic realm="jambonz", charset="UTF-8"',
  };
}

describe('decideUpgrade', () => {
  it('accepts the right credentials and subprotocol, saying which pair matched and what was selected', () => {
    expect(
      decideUpgrade(policy('api'), { authorization: AUTHORIZATION, 'sec-websocket-protocol': 'chat, ws.jambonz.org' }),
    ).toEqual({
      accepted: true,
      status: 101,
      reason: undefined,
      gateway: 'Gateway',
      path: '/ws',
      kind: 'api',
      credentialSet: 'default',
      credentialIndex: 1,
      username: 'jambonz',
      protocol: 'ws.jambonz.org',
      offered: ['chat', 'ws.jambonz.org'],
    });
  });

  it.each([
    ['no credentials and no subprotocol', {}, 401, 'missing_credentials'],
    [
      'wrong credentials and the right subprotocol',
      { authorization: 'Basic Zm9vOmJhcg==', 'sec-websocket-protocol': 'ws.jambonz.org' },
      401,
      'credentials_mismatch',
    ],
    ['the right credentials and no subprotocol', { authorization: AUTHORIZATION }, 400, 'subprotocol_mismatch'],
    [
      'the right credentials and an empty subprotocol list',
      { authorization: AUTHORIZATION, 'sec-websocket-protocol': ' , ' },
      400,
      'subprotocol_mismatch',
    ],
  ])('refuses %s, credentials first', (_what, headers, status, reason) => {
    expect(decideUpgrade(policy('api'), headers)).toMatchObject({
      accepted: false,
      status,
      reason,
      credentialIndex: undefined,
      username: undefined,
      protocol: undefined,
    });
  });

  it("selects the server's preferred audio subprotocol among those offered, and checks only that on an open endpoint", () => {
    const decision = decideUpgrade(policy('audio', true), { 'sec-websocket-protocol': 'audio.drachtio.org,audio.jambonz.org' });
    expect(decision).toMatchObject({
      accepted: true,
      protocol: 'audio.jambonz.org',
      credentialSet: undefined,
      credentialIndex: undefined,
    });
  });

  it('splits the offered subprotocols as Node joins repeated headers', () => {
    expect(offeredProtocols('a,b , c,, ')).toEqual(['a', 'b', 'c']);
    expect(offeredProtocols(undefined)).toEqual([]);
  });
});

describe('JambonzWsConnection', () => {
  /** A socket that records what is sent, open unless told otherwise. */
  function socket(readyState = 1): JambonzSocket & { sent: Array<string | Uint8Array>; closed: unknown[] } {
    const sent: Array<string | Uint8Array> = [];
    const closed: unknown[] = [];
    return { readyState, sent, closed, send: (data) => sent.push(data), close: (code, reason) => closed.push([code, reason]) };
  }
  const accepted = decideUpgrade(policy('api'), { authorization: AUTHORIZATION, 'sec-websocket-protocol': 'ws.jambonz.org' });
  const connect = (s: JambonzSocket, kind: 'api' | 'audio' = 'api', decision: JambonzUpgradeDecision = accepted) =>
    new JambonzWsConnection(s, policy(kind), decision);

  it('tells what authenticated it, never a password', () => {
    const connection = connect(socket());
    expect([connection.auth, connection.protocol, connection.kind, connection.path, connection.gateway]).toEqual([
      { verifiedBy: 'basic', username: 'jambonz', credentialSet: 'default', credentialIndex: 1 },
      'ws.jambonz.org',
      'api',
      '/ws',
      'Gateway',
    ]);
    expect(JSON.stringify(connection.auth)).not.toContain(CALL_HOOK.password);
  });

  it.each([
    [
      'redirect',
      [{ verb: 'say', text: 'hi' }],
      {},
      { type: 'command', command: 'redirect', data: [{ verb: 'say', text: 'hi' }] },
    ],
    [
      'redirect',
      [],
      { queueCommand: true, callSid: 'leg-b' },
      { type: 'command', command: 'redirect', queueCommand: true, callSid: 'leg-b', data: [] },
    ],
    [
      'llm:tool-output',
      { ok: 1 },
      { toolCallId: 'call_9' },
      { type: 'command', command: 'llm:tool-output', tool_call_id: 'call_9', data: { ok: 1 } },
    ],
    ['tts:flush', undefined, {}, { type: 'command', command: 'tts:flush' }],
  ])('sends the command %s as jambonz reads it', (command, data, options, frame) => {
    const s = socket();
    expect(connect(s).command(command, data, options)).toBe(true);
    expect(s.sent.map((text) => JSON.parse(text as string))).toEqual([frame]);
  });

  it('acks with and without data', () => {
    const s = socket();
    const connection = connect(s);
    connection.ack('m1');
    connection.ack('m2', [{ verb: 'hangup' }]);
    expect(s.sent).toEqual(['{"type":"ack","msgid":"m1"}', '{"type":"ack","msgid":"m2","data":[{"verb":"hangup"}]}']);
  });

  it('sends a frame of exactly the limit in UTF-8 bytes, and refuses one byte more without sending it', () => {
    const s = socket();
    const connection = connect(s);
    const fill = 100 - Buffer.byteLength(JSON.stringify({ text: '' }));
    const text = 'é'.repeat(Math.floor(fill / 2)) + 'a'.repeat(fill % 2);
    expect(connection.sendJson({ text })).toBe(true);
    expect(() => connection.sendJson({ text: `${text}x` })).toThrow(new JambonzFrameTooLargeError(101, 100));
    expect(s.sent).toHaveLength(1);
  });

  it('sends nothing on a socket that is no longer open, and says so', () => {
    const s = socket(3);
    expect(connect(s).ack('m1')).toBe(false);
    expect(s.sent).toEqual([]);
  });

  it('sends audio only over an audio stream, and commands only over the API', () => {
    const audio = socket();
    expect(connect(audio, 'audio').sendAudio(new Uint8Array(100))).toBe(true);
    expect(() => connect(audio, 'audio').sendAudio(new Uint8Array(101))).toThrow(
      new JambonzFrameTooLargeError(101, 100, 'mod_audio_fork'),
    );
    expect(() => connect(audio, 'audio').sendAudio(new Uint8Array(101))).toThrow('over the 100 bytes mod_audio_fork accepts');
    expect(() => connect(audio, 'audio').command('redirect', [])).toThrow(TypeError);
    expect(() => connect(socket()).sendAudio(new Uint8Array(1))).toThrow(TypeError);
  });

  it('closes with 1000 by default, which tells jambonz not to reconnect', () => {
    const s = socket();
    connect(s).close();
    connect(s).close(4000, 'going');
    expect(s.closed).toEqual([
      [1000, undefined],
      [4000, 'going'],
    ]);
  });

  it('is found on its client by its brand, also when another copy of the package made it', () => {
    const connection = connect(socket());
    expect(JambonzWsConnection.of({ [JAMBONZ_WS_CONNECTION]: connection })).toBe(connection);
    const fromOtherCopy = { [JAMBONZ_WS_CONNECTION]: true, kind: 'api' };
    expect(JambonzWsConnection.of({ [JAMBONZ_WS_CONNECTION]: fromOtherCopy })).toBe(fromOtherCopy);
    expect(JambonzWsConnection.of({ [JAMBONZ_WS_CONNECTION]: { kind: 'api' } })).toBeUndefined();
    expect([JambonzWsConnection.of(null), JambonzWsConnection.of({}), JambonzWsConnection.of('client')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
