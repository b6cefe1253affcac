import { afterEach } from 'vitest'
import { cleanup } from '@testing-library/react'

afterEach(() => cleanup())

// jsdom has no 2D canvas; the app must cope with getContext returning null (it draws nothing
// and keeps its text summary). Say so explicitly instead of letting jsdom log "not implemented".
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext
