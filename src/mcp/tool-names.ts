// The names of `anchor mcp`'s tools, light enough for the command's declaration (its --tools and
// --exclude-tools check and complete them without building a tool). A test checks that they are
// exactly the names tools.ts builds.
export const TOOL_NAMES = [
  'list_webhooks',
  'get_webhook',
  'create_webhook',
  'update_webhook',
  'delete_webhook',
  'rotate_webhook_secret',
  'send_test_event',
  'list_deliveries',
  'list_event_types',
  'describe_event_type',
  'verify_signature',
  'list_received',
  'replay',
  'check_receiver',
  'trigger_event',
] as const;

export type ToolName = (typeof TOOL_NAMES)[number];
