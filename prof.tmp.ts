import autocannon from 'autocannon';
import { signToken } from './infra/auth/jwt';
(async () => {
  const token = await signToken({ secret: process.env.JWT_SECRET!, issuer: 'waymark', audience: 'waymark-api' }, { role: 'service', tenantId: 'bench', subject: 'svc' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const sessions: string[] = [];
  for (let i = 0; i < 1000; i++) { const r = await fetch('http://127.0.0.1:18080/api/v1/onboarding/conversation/start/', { method: 'POST', headers, body: JSON.stringify({ user_id: `p${Date.now()}-${i}` }) }); sessions.push(((await r.json()) as any).conversation_id); }
  const body = JSON.stringify({ events: [{ type: 'question_asked', step: 'approval', question_id: 'q1' }] });
  const r = await autocannon({ url: 'http://127.0.0.1:18080', connections: 16, duration: 8, headers, requests: [{ method: 'POST', body, setupRequest: (req) => ({ ...req, path: `/api/v1/onboarding/sessions/${sessions[Math.floor(Math.random()*sessions.length)]}/events/` }) }] });
  console.log('req/s', r.requests.average, 'p99', r.latency.p99, 'non2xx', r.non2xx);
})();
