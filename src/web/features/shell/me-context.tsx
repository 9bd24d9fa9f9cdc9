import { createContext, type ReactNode, useContext } from 'react'
import type { Me, Workspace } from '../../api/types.ts'

export interface WorkspaceMe extends Me {
  workspace: Workspace
}

const MeContext = createContext<WorkspaceMe | null>(null)

export function MeProvider({ me, children }: { me: WorkspaceMe; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>
}

/** The signed-in person in their active workspace; only used below RequireSession. */
export function useMe(): WorkspaceMe {
  const me = useContext(MeContext)
  if (!me) throw new Error('useMe must be used inside RequireSession')
  return me
}
