import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { AddSource } from '../../renderer/src/components/AddSource'

describe('the kubectl commands beside "Add a log file"', () => {
  it('lists the read-only get/watch commands whose output the app reads, nothing that changes the cluster', async () => {
    render(<AddSource />)
    await userEvent.click(screen.getByText(/Kubernetes: commands to copy/))
    const commands = screen.getAllByRole('listitem').map((li) => li.querySelector('code')?.textContent ?? '')
    expect(commands).toContain('kubectl get rs -n <namespace> -o json > rs.json')
    expect(commands).toContain('kubectl get events -n <namespace> -w -o json > events-live.json')
    expect(commands.length).toBe(4)
    for (const c of commands) expect(c).toMatch(/^kubectl get (rs|pods|events) /)
  })
})
