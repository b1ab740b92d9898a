// Scenarios and chaos kinds: see core/vocabulary.ts.
export {
  CHAOS_HELP,
  CHAOS_KINDS,
  scenario,
  SCENARIO_NAMES,
  SCENARIOS,
  type ChaosKind,
  type Scenario,
  type ScenarioStep,
} from './vocabulary.js';
