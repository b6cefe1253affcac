/** Traefik's access log in JSON (`accessLog.format: json`): capitalised keys, Duration in ns. */
import { defineJson } from '../definition'

export default defineJson({
  id: 'traefik-json',
  title: 'Traefik access log (JSON)',
  family: 'access',
  specificity: 1,
  requires: ['DownstreamStatus', 'RequestMethod', 'RequestPath'],
  fields: {
    time: 'time',
    method: 'RequestMethod',
    path: 'RequestPath',
    status: 'DownstreamStatus',
    upstreamStatus: 'OriginStatus',
    bytes: 'DownstreamContentSize',
    duration: 'Duration',
    client: 'ClientHost',
    agent: 'request_User-Agent',
    requestId: 'request_X-Request-Id',
    instance: 'ServiceAddr'
  },
  durationUnit: 'ns',
  samples: [{
    source: 'tests/fixtures/logs/traefik-json/elastic-integrations-format-json.log (line 6)',
    lines: ['{"ClientAddr": "10.10.8.105:48376","ClientHost": "175.16.199.10","ClientPort": "48376","ClientUsername": "-","DownstreamContentSize": 88,"DownstreamStatus": 200,"Duration": 59518533,"OriginContentSize": 88,"OriginDuration": 59428568,"OriginStatus": 200,"Overhead": 89965,"RequestAddr": "api-students.unpad.ac.id","RequestContentSize": 0,"RequestCount": 75,"RequestHost": "api-students.unpad.ac.id","RequestMethod": "GET","RequestPath": "/api/v1/study/140410210038/card/comment","RequestPort": "-","RequestProtocol": "HTTP/1.0","RequestScheme": "http","RetryAttempts": 0,"RouterName": "app-unpad-students-api-prod-app-unpad-students-api-api-students-unpad-ac-id-api@kubernetes","ServiceAddr": "10.1.25.243:80","ServiceName": "app-unpad-students-api-prod-app-unpad-students-api-80@kubernetes","ServiceURL": {"Scheme": "http","Opaque": "","User": null,"Host": "10.1.25.243:80","Path": "","RawPath": "","OmitHost": false,"ForceQuery": false,"RawQuery": "","Fragment": "","RawFragment": ""},"StartLocal": "2024-02-09T11:53:32.609696286Z","StartUTC": "2024-02-09T11:53:32.609696286Z","entryPointName": "web","level": "info","msg": "","time": "2024-02-09T11:53:32Z"}'],
    events: [{ kind: 'request', time: '2024-02-09T11:53:32.000Z', method: 'GET', path: '/api/v1/study/140410210038/card/comment', status: 200, upstreamStatus: 200, bytes: 88, durationMs: 59.519, client: '175.16.199.10', instance: '10.1.25.243:80' }]
  }]
})
