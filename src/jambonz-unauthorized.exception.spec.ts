import { UnauthorizedException } from '@nestjs/common';
import { JAMBONZ_UNAUTHORIZED_MESSAGE, JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';

describe('JambonzUnauthorizedException', () => {
  it('answers 401 with a fixed message that says nothing about why, and keeps the reasons for filters and metrics', () => {
    const unauthorized = new JambonzUnauthorizedException(['signature_mismatch', 'missing_credentials']);
    expect(unauthorized).toBeInstanceOf(UnauthorizedException);
    expect(unauthorized.getStatus()).toBe(401);
    expect(unauthorized.getResponse()).toEqual({
      statusCode: 401,
      message: 'Invalid or missing jambonz webhook authentication',
      error: 'Unauthorized',
    });
    expect(JAMBONZ_UNAUTHORIZED_MESSAGE).toBe('Invalid or missing jambonz webhook authentication');
    expect(unauthorized.reasons).toEqual(['signature_mismatch', 'missing_credentials']);
  });
});
