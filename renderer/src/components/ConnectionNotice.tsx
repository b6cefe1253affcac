import { selectConnection, useApp } from '../store'

export function ConnectionNotice() {
  const connection = useApp(selectConnection)
  if (connection.status === 'open' || connection.status === 'connecting') return null
  return (
    <div className={`connection-notice ${connection.status}`} role="alert" data-testid="connection-notice">
      {connection.message}
    </div>
  )
}
