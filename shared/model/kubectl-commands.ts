/**
 * The read-only kubectl commands whose output Triage500 reads (electron/collect/kube), as the app
 * shows them to copy. Every one only gets or watches: nothing here changes the cluster. The user
 * runs them with their own kubectl context; the files stay on the laptop.
 */
export interface KubectlCommand {
  /** What the output gives the triage, in words. */
  what: string
  command: string
}

export function kubectlCommands(namespace = '<namespace>'): KubectlCommand[] {
  const ns = `-n ${namespace}`
  return [
    { what: 'Rollouts (revision, image tag, when): deploys', command: `kubectl get rs ${ns} -o json > rs.json` },
    { what: 'Pods (restarts, OOMKilled, CrashLoopBackOff, readiness)', command: `kubectl get pods ${ns} -o json > pods.json` },
    { what: 'Events (BackOff, OOMKilling, probe failures)', command: `kubectl get events ${ns} -o json > events.json` },
    { what: 'Events as they happen (add the file, it is followed live)', command: `kubectl get events ${ns} -w -o json > events-live.json` }
  ]
}
