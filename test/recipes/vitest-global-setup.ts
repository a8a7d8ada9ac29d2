/**
 * README recipe "vitest globalSetup": one sink for the whole run, started before any test file and
 * stopped after the last; test files get its address with `inject('mailsink')`. This file is the
 * real globalSetup of the `vitest-recipe` project in this repository's vitest.config.ts.
 */
import { startSink } from 'mailsink';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject) {
  const sink = await startSink({ smtpPort: 0, httpPort: 0 });
  project.provide('mailsink', { httpUrl: sink.httpUrl, smtpPort: sink.smtpPort });
  return () => sink.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    mailsink: { httpUrl: string; smtpPort: number };
  }
}
