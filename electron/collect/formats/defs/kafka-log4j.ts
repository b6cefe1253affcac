/** Apache Kafka / ZooKeeper log4j layout `[%d] %p %m (%c)%n`: `[2023-10-20 20:15:48,129] INFO msg (kafka.log.LogLoader)`. */
import { definePattern } from '../definition'

export default definePattern({
  id: 'kafka-log4j',
  title: 'Kafka / log4j ([%d] %p %m (%c))',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  time: 'iso',
  pattern: /^\[(?<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[,.]\d{3})\] (?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) (?<message>.*?)(?: \((?<logger>[\w.$-]+)\))?$/,
  samples: [{
    source: 'tests/fixtures/logs/kafka-log4j/server-nodeexists.log (lines 191-193)',
    lines: [
      '[2023-10-20 20:15:49,109] ERROR [KafkaServer id=0] Fatal error during KafkaServer startup. Prepare to shutdown (kafka.server.KafkaServer)',
      'org.apache.zookeeper.KeeperException$NodeExistsException: KeeperErrorCode = NodeExists',
      '\tat org.apache.zookeeper.KeeperException.create(KeeperException.java:126)'
    ],
    events: [{
      kind: 'app', time: '2023-10-20T20:15:49.109Z', level: 'error', logger: 'kafka.server.KafkaServer',
      message: '[KafkaServer id=0] Fatal error during KafkaServer startup. Prepare to shutdown',
      errorType: 'org.apache.zookeeper.KeeperException$NodeExistsException', errorMessage: 'KeeperErrorCode = NodeExists', lines: 3, hasStack: true
    }]
  }]
})
