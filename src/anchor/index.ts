/** Anchors outside the ledger: write signed checkpoints, verify a ledger or an export against them. */
export { anchorStore, type AnchorOptions } from './anchor-store.js';
export { verifyAgainstCheckpoints, checkAnchor, type AnchorReport, type AnchorProblem, type AnchorProblemCode } from './check-anchors.js';
export { verifyAnchored, type AnchoredVerifyResult, type AnchoredVerifyOptions } from './verify-anchored.js';
export { verifyExportText, type ExportVerifyResult } from './verify-export.js';
export { parseUserAnchor, type UserAnchor } from './user-anchor.js';
export { anchorPaths, CHECKPOINTS_ENV, type AnchorPaths } from './paths.js';
export { loadOrCreateKey, loadPublicKey } from './key-files.js';
