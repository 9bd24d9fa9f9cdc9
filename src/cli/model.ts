import type { Command } from 'commander'

/** `tandem model evaluate` (placeholder, built in issue 10). */
export function registerModelCommand(program: Command) {
  program.command('model').description('Predictive models: evaluate learners on any CSV')
}
