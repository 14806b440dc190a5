// The app's real AppModule, configured from .env through ConfigService, with only its secrets
// and credentials swapped for test ones: the status route keeps its production rules.
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { overrideJambonzAuth, sendWebhook, testCredentials } from 'nestjs-jambonz-auth/testing';
import { AppModule } from '../src/app.module';

const status = { call_sid: 'b3c5e0a2', call_status: 'completed' };

describe('the call status hook (testing module)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await overrideJambonzAuth(Test.createTestingModule({ imports: [AppModule] })).compile();
    app = moduleRef.createNestApplication({ rawBody: true, logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('takes the status hook credentials', async () => {
    await sendWebhook(request(app.getHttpServer()).post('/jambonz/status'), status, {
      basicAuth: testCredentials('status'),
    }).expect(204);
  });

  it('refuses a request without its credentials', async () => {
    await sendWebhook(request(app.getHttpServer()).post('/jambonz/status'), status).expect(401);
  });

  it("refuses the call hook's credentials", async () => {
    await sendWebhook(request(app.getHttpServer()).post('/jambonz/status'), status, { basicAuth: testCredentials() }).expect(401);
  });
});
