/** The conversations a load run writes into, as the bench knows them. */
export interface ScenarioParticipant {
  id: string;
  email: string;
  displayName: string;
  /** The participant's conversation alias: mail sent to it lands as this participant's message. */
  alias: string;
  /** Null for an email-only participant. */
  accountId: string | null;
}

export interface ScenarioConversation {
  id: string;
  subject: string;
  participants: ScenarioParticipant[];
}

export interface Scenario {
  run: string;
  conversations: ScenarioConversation[];
}
