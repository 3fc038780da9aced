// Uploads as a browser sends them: multipart/form-data with the CSRF token first.
import { csrfTokenIn, type Page, type TestBrowser } from './browser-client.js';

export const BOUNDARY = '----hms-test-boundary-7d1a';

/** A multipart/form-data body: fields in order, files with a name. */
export function multipart(parts: [string, string | { filename: string; content: string }][], boundary = BOUNDARY): { body: Buffer; contentType: string } {
  const chunks: string[] = [];
  for (const [name, value] of parts) {
    chunks.push(`--${boundary}\r\n`);
    if (typeof value === 'string') chunks.push(`Content-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    else chunks.push(`Content-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: text/csv\r\n\r\n${value.content}\r\n`);
  }
  chunks.push(`--${boundary}--\r\n`);
  return { body: Buffer.from(chunks.join('')), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a CSV from the patient page the browser is on. */
export async function upload(browser: TestBrowser, patientId: string, csv: string, token = csrfTokenIn(browser.lastPage)!,
  deviceSerial = 'HX-42'): Promise<Page> {
  const { body, contentType } = multipart([['_csrf', token], ['device_serial', deviceSerial], ['file', { filename: 'rec.csv', content: csv }]]);
  return browser.request('POST', `/patients/${patientId}/records`, body.toString('latin1'), { 'content-type': contentType });
}
