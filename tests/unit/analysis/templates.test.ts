import { describe, it, expect } from 'vitest'
import {
  groupingAccuracy,
  HeaderModel,
  maskMessage,
  maskToken,
  mineTemplates,
  OVERFLOW_TEMPLATE,
  scanHeader,
  TemplateMiner,
  tokenize
} from '../../../shared/analysis/templates'

describe('maskToken', () => {
  it.each([
    ['12345', '<*>'],
    ['3.14', '<*>'],
    ['0x7f3a', '<*>'],
    ['deadbeef42cafe01', '<*>'],
    ['3fa85f64-5717-4562-b3fc-2c963f66afa6', '<*>'],
    ['10.0.0.12:8080', '<*>'],
    ['[10.0.0.12]', '<*>'],
    ['alice@example.com', '<*>'],
    ['https://api.example.com/v1/users?id=3', '<*>'],
    ['/var/log/app/server.log', '<*>'],
    ['250ms', '<*>ms'],
    ["'users'", '<*>'],
    ['"order-17"', '<*>'],
    ['2024-05-01T10:11:12.123Z', '<*>'],
    ['17:41:44,747', '<*>'],
    ['Dec', '<*>'],
    ['uid=0', 'uid=<*>'],
    ['db.example.com:5432', '<*>'],
    ['blk_-6952295868487656571', 'blk_<*>']
  ])('masks %s as %s', (token, masked) => {
    expect(maskToken(token)).toBe(masked)
  })

  it('keeps plain words and punctuation', () => {
    for (const word of ['Connection', 'refused', 'failed:', 'user', '-', 'NullPointerException']) expect(maskToken(word)).toBe(word)
  })

  it('masks a whole message token by token', () => {
    expect(maskMessage('timeout after 3000ms talking to 10.1.2.3:5432 for order "A-17"')).toBe('timeout after <*>ms talking to <*> for order <*>')
  })

  it('splits pipe-separated fields into tokens', () => {
    expect(tokenize('20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579')).toEqual([
      '20171223-22:15:29:606', '|', 'Step_LSC', '|', '30002312', '|', 'onStandStepChanged', '3579'
    ])
  })
})

describe('header detection', () => {
  const cutText = (model: HeaderModel, line: string): string => tokenize(line).slice(model.cut(tokenize(line)).end).join(' ')

  it.each([
    ['2024-05-01 10:11:12,345 ERROR [main] com.example.OrderService: payment failed for order 17', 'payment failed for order 17'],
    ['Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0', 'authentication failure; logname= uid=0'],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 'mod_jk child workerEnv in error state 6'],
    ['2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200', 'Notification time out: 3200'],
    ['2024-05-01 10:11:12 - myapp.db - WARNING - pool exhausted', 'pool exhausted'],
    ['- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO cache parity error corrected', 'cache parity error corrected']
  ])('finds the message of %s', (line, message) => {
    const tokens = tokenize(line)
    expect(tokens.slice(scanHeader(tokens).end).join(' ')).toBe(message)
  })

  it('never takes the whole line as header', () => {
    const tokens = tokenize('2024-05-01 10:11:12 42')
    expect(scanHeader(tokens).end).toBe(2)
  })

  it('learns a file header shape so messages that start with numbers are not eaten', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `2024-05-01|Worker_${i % 3 === 0 ? 'A' : 'B'}|${1000 + i}|step ${i} done`)
    const model = HeaderModel.learn(lines)
    expect(model.learnedShape).toBe('TPWPTP')
    expect(cutText(model, '2024-05-02|Worker_A|1077|42 items flushed')).toBe('42 items flushed')
  })

  it('learns fixed columns after an unanchored header', () => {
    const states = ['running', 'active', 'configured out']
    const lines = Array.from({ length: 60 }, (_, i) => `${2000 + i} node-${i} node status ${1074098611 + i} 1 ${states[i % 3]}`)
    const model = HeaderModel.learn(lines)
    expect(cutText(model, '2100 node-7 node status 1074098999 1 running')).toBe('running')
  })
})

describe('TemplateMiner', () => {
  it('groups lines that differ only in values and keeps different messages apart', () => {
    const lines = [
      '2024-05-01 10:00:00 INFO app: user 17 logged in from 10.0.0.1',
      '2024-05-01 10:00:01 INFO app: user 18 logged in from 10.0.0.2',
      '2024-05-01 10:00:02 ERROR app: connection refused by db.example.com:5432',
      '2024-05-01 10:00:03 INFO app: user 19 logged in from 10.0.0.9',
      '2024-05-01 10:00:04 ERROR app: connection refused by cache.example.com:6379'
    ]
    const { templates, assignments } = mineTemplates(lines)
    expect(templates.map((t) => [t.template, t.count])).toEqual([
      ['user <*> logged in from <*>', 3],
      ['connection refused by <*>', 2]
    ])
    expect(assignments).toHaveLength(5)
    expect(assignments[0]).toBe(assignments[3])
    expect(assignments[2]).toBe(assignments[4])
    expect(assignments[0]).not.toBe(assignments[2])
  })

  it('generalizes differing words into <*> above the similarity threshold, not below it', () => {
    const lines = ['session opened for user root', 'session opened for user alice', 'disk quota exceeded on vol', 'session closed by peer now']
    const { templates } = mineTemplates(lines, { header: 'none' })
    expect(templates.map((t) => [t.template, t.count])).toEqual([
      ['session opened for user <*>', 2],
      ['disk quota exceeded on vol', 1],
      ['session closed by peer now', 1]
    ])
  })

  it('gives ids that depend only on the template, stable across runs', () => {
    const lines = ['job 1 finished in 20ms', 'job 2 finished in 31ms']
    const first = mineTemplates(lines, { header: 'none' })
    const second = mineTemplates([...lines], { header: 'none' })
    expect(first.templates[0].id).toMatch(/^T[0-9a-f]{12}$/)
    expect(second.templates[0].id).toBe(first.templates[0].id)
    expect(mineTemplates(['disk 1 full'], { header: 'none' }).templates[0].id).not.toBe(first.templates[0].id)
  })

  it('does not let a rare variant dissolve a template many lines agreed on', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `h${i}.example.com:443 open through proxy proxy.example.com:5070 HTTPS`)
    lines.push('ssh.example.com:22 open through proxy proxy.example.com:5070 SOCKS5')
    const { templates } = mineTemplates(lines, { header: 'none' })
    expect(templates.map((t) => [t.template, t.count])).toEqual([
      ['<*> open through proxy <*> HTTPS', 100],
      ['<*> open through proxy <*> SOCKS<*>', 1]
    ])
  })

  it('counts lines beyond the cluster cap in an overflow template', () => {
    const miner = new TemplateMiner({ header: 'none', maxClusters: 2 })
    for (const line of ['alpha beta', 'gamma delta epsilon', 'zeta', 'eta theta', 'alpha beta']) miner.add(line)
    const templates = miner.templates()
    expect(templates.find((t) => t.template === OVERFLOW_TEMPLATE)?.count).toBe(2)
    expect(templates.find((t) => t.template === 'alpha beta')?.count).toBe(2)
  })
})

describe('groupingAccuracy', () => {
  it('counts a line right only when its whole predicted group equals its true group', () => {
    // truth: {0,1,2} {3,4} {5}; predicted: {0,1,2} right, {3} and {4} split, {5} right
    expect(groupingAccuracy(['a', 'a', 'a', 'b', 'c', 'd'], ['x', 'x', 'x', 'y', 'y', 'z'])).toBeCloseTo(4 / 6)
    // merging two true groups makes both wrong
    expect(groupingAccuracy(['a', 'a', 'a', 'a', 'a', 'd'], ['x', 'x', 'x', 'y', 'y', 'z'])).toBeCloseTo(1 / 6)
    expect(groupingAccuracy(['q', 'q', 'r'], ['x', 'x', 'y'])).toBe(1)
  })

  it('rejects label lists of different lengths', () => {
    expect(() => groupingAccuracy(['a'], ['x', 'y'])).toThrow(RangeError)
  })
})
