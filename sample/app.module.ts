import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { AudioGateway } from './audio.gateway.js';
import { CallController } from './call.controller.js';
import { CallGateway } from './call.gateway.js';
import { jambonzAuthOptionsFromEnv } from './jambonz-config.js';

/**
 * The sample app: jambonz authentication configured from the environment (and a `.env` file,
 * through `@nestjs/config`), the controller that answers the webhooks, and the gateways of the
 * WebSocket API and of audio streams (served by JambonzWsAdapter, see create-app.ts).
 */
@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      imports: [ConfigModule.forRoot()],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => jambonzAuthOptionsFromEnv((name) => config.get<string>(name)),
    }),
  ],
  controllers: [CallController],
  providers: [CallGateway, AudioGateway],
})
export class AppModule {}
