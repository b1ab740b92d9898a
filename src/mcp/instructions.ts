// What `anchor mcp` tells a client about itself at initialisation (the SDK's `instructions`): the
// usual workflow, what needs the user's listener running, and where secrets go. Written for a
// model: tool and argument names, never the command line's flags.
export const SERVER_INSTRUCTIONS = `Anchor Browser sends signed webhook events (task.completed, session.ready, …) to the user's endpoints. These tools manage those webhooks and test the receivers.

Usual workflow:
1. list_event_types (and describe_event_type for an event's fields) to choose event types.
2. list_webhooks, then create_webhook with url and events. A second create_webhook with the same url and events is refused and names the existing webhook (a retry after a timeout does not make a duplicate); allow_duplicate: true makes one anyway.
3. send_test_event with wait: true sends a real delivery and follows it, with progress, until it ends or wait_timeout_seconds runs out (default 45); then read it with list_deliveries.
4. list_deliveries to read each attempt (status, answer, error), page by page.

Secrets never enter a result: create_webhook and rotate_webhook_secret write each new signing secret to a 0600 file in this server's secret folder and return its absolute path. Tell the user the path (their app reads the secret from it or from its .env); do not read the file into the conversation. delete_webhook removes the deleted webhook's secret files. delete_webhook and rotate_webhook_secret act only with confirm: true: ask the user first.

How a receiver verifies a delivery: Anchor-Signature is "t=<unix seconds>,v1=<hex>" (several v1= during a secret's rotation: accept if any matches); each v1 is the hex HMAC-SHA256, keyed with the secret string's UTF-8 bytes, of "v0:" + t + ":" + the raw request body, bytes as received (never re-serialised JSON). Compare in constant time, refuse a t more than 120 seconds old, answer 2xx fast, and deduplicate on the envelope's id (Anchor retries, so a delivery may come twice).

Testing the receiver the user is writing: check_receiver runs the checks Anchor requires of a receiver and gives the fix for each failure; trigger_event sends a signed event or a scenario (with set overrides and chaos) and grades the answers. Both send only to a URL on this machine (127.0.0.1, localhost, [::1]), signed with the secret of secret_file (the path create_webhook returned: test with the secret the receiver verifies with), else this server's ANCHOR_WEBHOOK_SECRET, else the user's local forwarding secret; never pass a secret itself.

list_received and replay read the record that the user's local listener keeps: they need the user to run the anchor CLI's "webhooks listen" command in a terminal (it receives real deliveries, verifies them and forwards them to the local app). verify_signature checks a delivery offline.`;
