import { Module } from '@nestjs/common';
import { JambonzAuthModule } from 'nestjs-jambonz-auth';
import { CallController } from './call.controller.js';

@Module({
  imports: [
    JambonzAuthModule.forRootAsync({
      useFactory: () => ({ secret: process.env.JAMBONZ_WEBHOOK_SECRET ?? '' }),
    }),
  ],
  controllers: [CallController],
})
export class AppModule {}
