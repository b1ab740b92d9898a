// The webhook-id argument and the --dry-run flag most webhooks commands share.
import { arg } from '../../spec.js';
import { bool } from '../../flag-builders.js';

export const webhookIdArg = arg('[id]', 'webhook id (wh_…)', { completes: 'webhook-ids' });
export const dryRunFlag = () => bool('--dry-run', 'print the request (key redacted) and send nothing');
export const yesFlag = () => bool('-y, --yes', 'do not ask for confirmation (required without a terminal)');
export const EXAMPLE_ID = 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y';
