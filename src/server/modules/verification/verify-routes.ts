import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TenantParams } from '../../../contract/common.js';
import { VerifyBody, VerifyResult } from '../../../contract/tokens.js';
import type { Services } from '../../lib/context.js';
import { tenantContext } from '../../http/auth-hooks.js';
import { withProblems } from '../../http/route-schemas.js';
import { Verifier } from './verifier.js';

export function verifyRoutes(services: Services): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/tenants/:tenant/verify', {
      schema: {
        tags: ['Verification'],
        summary: "Check an OTP as a user's second factor (name the user by username or userId; optionally one serial)",
        params: TenantParams, body: VerifyBody, response: withProblems({ 200: VerifyResult }),
      },
    }, async (request) => new Verifier(await tenantContext(request, services, 'otp:verify')).verify(request.body));
  };
}
