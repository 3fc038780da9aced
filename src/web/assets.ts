// The stylesheet and (later) small scripts, served from src/web/assets whether HMS runs from
// src/ (tests) or dist/ (npm start).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the HMS sources');
    dir = parent;
  }
  return dir;
}

export async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.join(packageRoot(), 'src/web/assets'),
    prefix: '/assets/',
    index: false,
    maxAge: '1h',
  });
  // uPlot, as its package ships it: only the two files the record page uses.
  const uplot = path.join(packageRoot(), 'node_modules/uplot/dist');
  await app.register(fastifyStatic, {
    root: uplot,
    prefix: '/assets/vendor/',
    index: false,
    maxAge: '1d',
    decorateReply: false,
    allowedPath: (pathName) => pathName === '/uPlot.iife.min.js' || pathName === '/uPlot.min.css',
  });
  // SimpleWebAuthn's browser bundle (a global SimpleWebAuthnBrowser), for security keys only.
  await app.register(fastifyStatic, {
    root: path.join(packageRoot(), 'node_modules/@simplewebauthn/browser/dist/bundle'),
    prefix: '/assets/vendor/simplewebauthn/',
    index: false,
    maxAge: '1d',
    decorateReply: false,
    allowedPath: (pathName) => pathName === '/index.umd.min.js',
  });
}
