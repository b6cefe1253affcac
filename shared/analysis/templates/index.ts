export { groupingAccuracy } from './accuracy'
export { stableHash } from './hash'
export { HeaderModel, scanHeader, kindOf, type HeaderCut, type HeaderKind } from './header'
export { maskMessage, maskToken, tokenize, WILDCARD } from './mask'
export {
  FileTemplateMining,
  HEADER_SAMPLE_LINES,
  mineTemplates,
  OVERFLOW_TEMPLATE,
  TemplateCluster,
  TemplateMiner,
  templateId,
  type MinedTemplate,
  type MinerOptions,
  type MinerStats,
  type TemplateMiningResult
} from './miner'
