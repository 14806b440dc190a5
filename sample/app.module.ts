import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { AudioGateway } from './audio.gateway.js';
import { CallController } from './call.controller.js';
import { CallGateway } from './call.gateway.js';
import { jambonzAuthOptionsFromEnv } from './jambonz-config.js';
import { RefusalSummary } from './refusal-summary.service.js';

/** Provides the refusal summary to the module's factory (and to the rest of the app). */
@Module({ providers: [RefusalSummary], exports: [RefusalSummary] })
export class RefusalSummaryModule {}

/**
 * The sample app: jambonz authentication configured from the environment (and a `.env` file,
 * through `@nestjs/config`), the controller that answers the webhooks, the gateways of the
 * WebSocket API and of audio streams (served by JambonzWsAdapter, see create-app.ts), and a
 * one-line summary of refusals per minute, fed by the module's `onDecision` listener.
 */
@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      imports: [ConfigModule.forRoot(), RefusalSummaryModule],
      inject: [ConfigService, RefusalSummary],
      useFactory: (config: ConfigService, refusals: RefusalSummary) => ({
        ...jambonzAuthOptionsFromEnv((name) => config.get<string>(name)),
        onDecision: (decision) => refusals.add(decision),
      }),
    }),
  ],
  controllers: [CallController],
  providers: [CallGateway, AudioGateway],
})
export class AppModule {}
