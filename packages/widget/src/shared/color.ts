export { DEFAULT_COLOR, contrastRatio, luminance, readableTextColor, safeColor } from '@loket/protocol';
