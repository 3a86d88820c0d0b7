// Calls the gateway's OpenAI-compatible routes with the official openai client, as an app would.
// Environment: TTS_BASE_URL (the gateway + "/v1"), TTS_API_KEY, TTS_INPUT (the text), TTS_OUT (where the audio goes),
// TTS_FORMAT (response_format, default wav). Prints one JSON line: what came back.
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';

const client = new OpenAI({ baseURL: process.env.TTS_BASE_URL, apiKey: process.env.TTS_API_KEY, maxRetries: 0 });
const out = {};

const models = await client.models.list();
out.models = models.data.map((m) => m.id);
out.modelObjects = models.data.every((m) => m.object === 'model' && typeof m.owned_by === 'string');

const started = Date.now();
const response = await client.audio.speech.create({
  model: 'tts-1',
  voice: 'alloy',
  input: process.env.TTS_INPUT,
  response_format: process.env.TTS_FORMAT || 'wav',
});
const bytes = Buffer.from(await response.arrayBuffer());
writeFileSync(process.env.TTS_OUT, bytes);
out.bytes = bytes.length;
out.millis = Date.now() - started;
out.contentType = response.headers.get('content-type');
out.jobId = response.headers.get('x-job-id');
out.sampleRate = Number(response.headers.get('x-sample-rate'));

try {
  const r = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello.', response_format: 'mp3' });
  const b = Buffer.from(await r.arrayBuffer());
  const sync = b.findIndex((x, i) => x === 0xff && i + 1 < b.length && (b[i + 1] & 0xe0) === 0xe0);
  out.mp3 = { contentType: r.headers.get('content-type'), bytes: b.length, frameSync: sync >= 0 && sync < 1024 };
} catch (e) {
  out.mp3 = { status: e.status, error: e.error, message: e.message };
}
console.log(JSON.stringify(out));
