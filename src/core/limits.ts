// Anchor's limits of a project, shared by the CLI's checks and the emulator.

/** Webhooks per project. */
export const MAX_WEBHOOKS_PER_PROJECT = 5;
