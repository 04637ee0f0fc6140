#!/usr/bin/env node
// Thin oclif entry point: all logic lives in dist/ (compiled from src/).
import {execute} from '@oclif/core'

await execute({dir: import.meta.url})
