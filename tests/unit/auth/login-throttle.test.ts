import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginThrottle } from '../../../lib/auth/login-throttle.ts';
import { TooManyRequestsError } from '../../../lib/errors.ts';

test('after the most wrong logins in the window a key is refused (429 with the wait) until the oldest ages out', () => {
  let now = 1_000_000;
  const t = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, now: () => now });
  const keys = ['email:ada@lab.example', 'client:10.0.0.1'];
  for (let k = 0; k < 3; k++) {
    t.check(keys);
    t.fail(keys);
    now += 1000;
  }
  assert.throws(() => t.check(['email:ada@lab.example']), (err: unknown) => err instanceof TooManyRequestsError && /too many wrong logins: try again in 1 minute/.test(err.message) && err.retryAfterSeconds === 57);
  assert.throws(() => t.check(['email:bob@lab.example', 'client:10.0.0.1']), TooManyRequestsError, 'the client address is throttled for any e-mail');
  t.check(['email:bob@lab.example']);
  now += 57_001;
  t.check(keys); // the first failure aged out
});

test('a right login clears its e-mail\'s failures', () => {
  const t = new LoginThrottle({ maxFailures: 2 });
  t.fail(['email:a']);
  t.succeed('email:a');
  t.fail(['email:a']);
  t.check(['email:a']);
});
