// Integration and e2e tests talk to real services and start real processes.
jest.setTimeout(120_000);
