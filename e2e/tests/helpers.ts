// Shared steps of the end-to-end tests: signing in as a person does, and driving the API
// the way a script does (HTTP Basic and a CSRF token).
import { expect, request, type APIRequestContext, type Page } from '@playwright/test';

export const API = '/bin/guides/v1/assets/process';

/** Signs in on AEM's login page, which brings the browser back to `resource`. */
export async function signIn(page: Page, resource = '/'): Promise<void> {
  await page.goto(`/libs/granite/core/content/login.html?resource=${encodeURIComponent(resource)}`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === resource.split('?')[0]);
}

/** An API client signed in with HTTP Basic, as scripts use the API. */
export async function apiClient(baseURL: string): Promise<APIRequestContext> {
  return request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') },
  });
}

/** Starts a job through the API and waits for it to finish; returns its id. */
export async function runJob(api: APIRequestContext, path: string): Promise<string> {
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token as string;
  const started = await api.post(API, {
    headers: { 'CSRF-Token': token },
    data: { path, type: 'ASSET_PROCESSING' },
  });
  expect(started.status()).toBe(200);
  const id = (await started.json()).processingId as string;
  await expect
    .poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status, { timeout: 60_000 })
    .toBe('SUCCESS');
  return id;
}
