// The console runs under the server's Content-Security-Policy, and every spec would notice if
// it did not: each one takes `test` from helpers.ts, whose guard fails a test on any
// `securitypolicyviolation` event or policy message of its pages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, signIn, test } from './helpers';

test('every spec takes test from helpers.ts, so the policy guard runs in each', () => {
  const dir = __dirname;
  const specs = fs.readdirSync(dir).filter((f) => f.endsWith('.spec.ts'));
  expect(specs.length).toBeGreaterThan(3);
  for (const spec of specs) {
    const text = fs.readFileSync(path.join(dir, spec), 'utf8');
    const fromPlaywright = /import \{([^}]*)\} from '@playwright\/test'/.exec(text)?.[1] ?? '';
    expect(fromPlaywright.split(',').map((n) => n.trim()), `${spec} imports test from @playwright/test`).not.toContain('test');
    expect(text, `${spec} imports test from ./helpers`).toMatch(/import \{[^}]*\btest\b[^}]*\} from '\.\/helpers'/);
  }
});

test('the console runs under a policy without inline allowances', async ({ page }) => {
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.request().resourceType() === 'document');
  await signIn(page, '/');
  const csp = (await answer).headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
  expect(csp).toContain("frame-ancestors 'self'");
  expect(csp).not.toContain('unsafe-inline');
  // The console started (its wasm compiled and ran) and drew its page.
  await expect(page.locator('#asset-processing-console > .apc-root')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('the guard fails a test whose page broke the policy', async ({ page, cspViolations }) => {
  // Expected to fail, and only because of the guard: the injected inline script is refused
  // (so the body itself passes), and the guard reports the refusal after the test.
  test.fail();
  await signIn(page, '/');
  await expect(page.locator('#asset-processing-console > .apc-root')).toHaveCount(1);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.head.append(script);
  });
  await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
  expect(cspViolations.join('\n')).toContain('script-src');
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});
