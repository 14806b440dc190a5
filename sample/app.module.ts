import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { CallController } from './call.controller.js';
import { jambonzAuthOptionsFromEnv } from './jambonz-config.js';
import { RefusalSummary } from './refusal-summary.service.js';

/** Provides the refusal summary to the module's factory (and to the rest of the app). */
@Module({ providers: [RefusalSummary], exports: [RefusalSummary] })
export class RefusalSummaryModule {}

/**
 * The sample app: jambonz webhook authentication configured from the environment (and a `.env`
 * file, through `@nestjs/config`), the controller that answers the webhooks, and a one-line
 * summary of refusals per minute, fed by the module's `onDecision` listener.
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
})
export class AppModule {}
