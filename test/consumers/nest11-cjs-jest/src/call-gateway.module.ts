import { Module } from '@nestjs/common';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { CallGateway } from './call.gateway';

/** A jambonz WebSocket API endpoint, with the call hook's Basic credentials from the environment. */
@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      useFactory: () => ({
        basicAuth: { username: process.env.JAMBONZ_WEBHOOK_USERNAME ?? '', password: process.env.JAMBONZ_WEBHOOK_PASSWORD ?? '' },
      }),
    }),
  ],
  providers: [CallGateway],
})
export class CallGatewayModule {}
