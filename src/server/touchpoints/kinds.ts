/** Touchpoint types and channel slugs live in the domain (DEFINITIONS.md); re-exported here. */
export {
  type Channel,
  channels,
  type TouchpointType,
  touchpointTypes,
} from '../../domain/touchpoints.ts'
