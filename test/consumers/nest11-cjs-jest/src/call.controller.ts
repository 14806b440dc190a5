import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { JambonzAuth, JambonzWebhook, type JambonzAuthContext } from 'nestjs-jambonz-auth';

interface CallHook {
  call_sid: string;
  from: string;
  customerData?: { contactName?: string };
}

@Controller('jambonz')
@JambonzWebhook()
export class CallController {
  @Post('call')
  onCall(@Body() call: CallHook) {
    const name = call.customerData?.contactName ?? call.from;
    return [{ verb: 'say', text: `Hola ${name}` }, { verb: 'hangup' }];
  }

  @Post('whoami')
  whoami(@JambonzAuth() auth: JambonzAuthContext | undefined) {
    return { verifiedBy: auth?.verifiedBy, accountSid: auth?.accountSid, bodySource: auth?.bodySource };
  }

  /** The call status hook: jambonz sends its own credentials, the set named `status`. */
  @Post('status')
  @HttpCode(204)
  @JambonzWebhook({ credentials: 'status' })
  onStatus(): void {}
}
