import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { connectLikeJambonz, JambonzUpgradeRefusedError, TEST_CREDENTIALS } from 'nestjs-jambonz-auth/testing';
import { JambonzWsAdapter, JambonzWsConnection } from 'nestjs-jambonz-auth/websocket';
import { CallGatewayModule } from '../src/call-gateway.module';
import { CallGateway } from '../src/call.gateway';

describe('nestjs-jambonz-auth/websocket in a Nest 11 CommonJS app (Jest, CommonJS runtime)', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    process.env.JAMBONZ_WEBHOOK_USERNAME = TEST_CREDENTIALS.username;
    process.env.JAMBONZ_WEBHOOK_PASSWORD = TEST_CREDENTIALS.password;
    const moduleRef = await Test.createTestingModule({ imports: [CallGatewayModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.useWebSocketAdapter(new JambonzWsAdapter(app));
    await app.listen(0, '127.0.0.1');
    url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1').replace(/^http/, 'ws')}/ws`;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads the CommonJS build of /websocket, next to @nestjs/websockets 11', () => {
    expect(require.resolve('nestjs-jambonz-auth/websocket')).toMatch(/[\\/]dist[\\/]cjs[\\/]websocket[\\/]index\.js$/);
    expect((require('@nestjs/websockets/package.json') as { version: string }).version).toMatch(/^11\./);
    expect((require('@nestjs/platform-ws/package.json') as { version: string }).version).toMatch(/^11\./);
    expect(JambonzWsConnection.of({})).toBeUndefined();
  });

  it('accepts a connection made as jambonz makes it, and acks session:new with the verbs', async () => {
    const call = await connectLikeJambonz(url);
    expect(call.protocol).toBe('ws.jambonz.org');
    const ack = await call.sessionNew();
    expect(ack.data).toEqual([{ verb: 'say', text: 'Hola +15555550123' }, { verb: 'hangup' }]);
    await call.close();
    expect(app.get(CallGateway).connected).toContain(TEST_CREDENTIALS.username);
  });

  it('refuses wrong credentials with 401 and no subprotocol with 400, before the upgrade', async () => {
    const connected = app.get(CallGateway).connected.length;
    const wrong = await connectLikeJambonz(url, { credentials: { ...TEST_CREDENTIALS, password: 'wrong' } }).catch(
      (error) => error,
    );
    expect(wrong).toBeInstanceOf(JambonzUpgradeRefusedError);
    expect([wrong.status, wrong.headers['www-authenticate']]).toEqual([401, 'Basic realm="jambonz", charset="UTF-8"']);
    const noProtocol = await connectLikeJambonz(url, { protocols: [] }).catch((error) => error);
    expect(noProtocol.status).toBe(400);
    expect(app.get(CallGateway).connected).toHaveLength(connected);
  });

  it('sends nothing when a handler throws (Nest 11 emits exceptions locally; the jambonz filter logs them), and honours @Ack()', async () => {
    const call = await connectLikeJambonz(url, { ackTimeout: 300 });
    await call.sessionNew();
    await expect(call.request('verb:hook', {}, { hook: '/throw' })).rejects.toThrow('no ack to verb:hook within 300 ms');
    await expect(call.nextFrame(100)).rejects.toThrow('no frame within 100 ms');
    const ack = await call.request('verb:hook', { digits: '42' }, { hook: '/gather' });
    expect(ack.data).toEqual([{ verb: 'say', text: 'You pressed 42' }]);
    await call.close();
  });
});
