package parley.conversation;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptLoaderTest {

    @Test
    void loadsTheSampleScript() {
        SalesScript script = ScriptLoader.load(new ClassPathResource("scripts/acme-b2b.yaml"));
        assertThat(script.name()).isEqualTo("Acme Logistics discovery call");
        // Who is calling, that it is an automated assistant, and how not to be called again: the rules for
        // automated sales calls ask for all three in the opening.
        assertThat(script.openingLine()).startsWith("Hi, this is Sam, an automated assistant calling for Acme Logistics.")
                .contains("If you'd rather not get these calls, just say so or press 9.");
        assertThat(script.version()).matches("[0-9a-f]{12}");
        assertThat(script.voicemail()).startsWith("Hi, this is Sam, an automated assistant calling for Acme Logistics");
        assertThat(script.states().keySet()).startsWith("greeting", "discovery", "offer_meeting");
        assertThat(script.states().get("ask_email").slots().get("email"))
                .isEqualTo(new SalesScript.Slot(SalesScript.SlotType.EMAIL, true, java.util.List.of(), false));
        assertThat(script.states().get("booked").outcome()).isEqualTo(SalesScript.Outcome.BOOKED);
        assertThat(script.states().get("booked").action()).isEqualTo(SalesScript.Action.BOOK_MEETING);
        // The state's own, the script's anytime ones, then the common intents the script does not cover.
        assertThat(script.transitionsFrom("discovery")).extracting(SalesScript.Transition::to)
                .containsExactly("offer_meeting", "not_interested", "do_not_call", "specialist", "wrong_person",
                        "not_interested", "ask_callback_time");
        assertThat(script.states().get("specialist").transferTo()).isEqualTo("+15550100999");
        assertThat(script.states().get("specialist").terminal()).isTrue();
        assertThat(script.onKey("offer_meeting", "9")).get().extracting(SalesScript.Transition::to)
                .isEqualTo("do_not_call");
        assertThat(script.onKey("offer_meeting", "5")).isEmpty();
    }

    @Test
    void namesTheFileAndLineOfAnUnknownStartState() {
        assertProblem("""
                name: Broken
                start: hello
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                    outcome: booked
                """, "line 2", "start state 'hello' is not among the states [greeting]");
    }

    @Test
    void namesTheLineOfAStateWithoutLines() {
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: []
                    outcome: booked
                """, "line 6", "'say' of state 'greeting' must list at least one entry");
    }

    @Test
    void aTransitionMustGoToAState() {
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                    transitions:
                      - to: nowhere
                        when: Always.
                """, "line 5", "a transition goes to 'nowhere', which is not among the states [greeting]");
    }

    @Test
    void aStateMustEndTheCallOrLeadSomewhere() {
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                """, "line 5", "state 'greeting' has neither transitions nor an outcome");
    }

    @Test
    void unknownKeysOutcomesAndSlotTypesAreNamed() {
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    sya: ["Hi."]
                    outcome: booked
                """, "line 6", "state 'greeting' has an unknown key 'sya'");
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                    outcome: sold
                """, "line 7", "unknown outcome 'sold' (known: [booked, not_interested, call_back_later, wrong_person, do_not_call, not_understood, no_response])");
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                    slots:
                      size:
                        type: enum
                    outcome: booked
                """, "line 9", "an enum slot needs its 'values'");
    }

    @Test
    void aTransferNamesTheNumberToDial() {
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Hand over.
                    say: ["One moment."]
                    action: transfer
                """, "line 7", "'transfer_to' must be the phone number to dial");
    }

    @Test
    void aKeyIsOneKey() {
        assertProblem("""
                name: Broken
                start: greeting
                states:
                  greeting:
                    goal: Say hi.
                    say: ["Hi."]
                    transitions:
                      - to: greeting
                        when: Again.
                        dtmf: "12"
                """, "line 10", "dtmf must be one key: 0-9, * or #, not '12'");
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirLine() {
        String yaml = "name: Broken\nstart: [unclosed\nstates: {}\n";
        assertThatThrownBy(() -> ScriptLoader.load(named(yaml)))
                .hasMessageContaining("broken.yaml")
                .hasMessageMatching(".*line [34].*");
    }

    @Test
    void joinsTheCommonIntentsToTheScriptsOwn() {
        SalesScript script = ScriptLoader.load(new ClassPathResource("scripts/acme-b2b.yaml"));
        SalesScript.Transition doNotCall = script.anytime().stream().filter(t -> t.to().equals("do_not_call"))
                .findFirst().orElseThrow();
        assertThat(doNotCall.dtmf()).as("the script's key stays").isEqualTo("9");
        assertThat(doNotCall.when()).isEqualTo("The caller asks not to be called again, or presses 9.");
        assertThat(doNotCall.examples()).contains("Take me off your list.", "Remove me from your list.");
        // "Call me later" goes to the state that asks when, and is not offered there: it would lead nowhere.
        assertThat(script.transitionsFrom("greeting")).extracting(SalesScript.Transition::to).contains("ask_callback_time");
        assertThat(script.transitionsFrom("ask_callback_time")).extracting(SalesScript.Transition::to)
                .doesNotContain("ask_callback_time").contains("not_interested", "wrong_person", "specialist");
    }

    @Test
    void aScriptSendsACommonIntentElsewhereOrSwitchesItOff() {
        SalesScript script = ScriptLoader.load(named("""
                name: Short
                start: hello
                intents:
                  human: "off"
                  not_interested: goodbye
                states:
                  hello:
                    goal: Greet.
                    say: ["Hello."]
                    transitions:
                      - to: goodbye
                        when: The caller says goodbye.
                  goodbye:
                    goal: End.
                    say: ["Bye."]
                    outcome: booked
                  leave:
                    goal: End.
                    say: ["Sorry to bother you."]
                    outcome: not_interested
                """));
        assertThat(script.transitionsFrom("hello")).extracting(SalesScript.Transition::to)
                .containsExactly("goodbye", "goodbye").doesNotContain("leave");
        assertThat(script.transitionsFrom("hello").get(1).examples()).contains("Not interested, thanks.");
        assertProblem("""
                name: Broken
                start: hello
                intents:
                  busy: later
                states:
                  hello:
                    goal: Greet.
                    say: ["Hello."]
                    outcome: booked
                """, "line 4", "unknown intent 'busy' (known: [not_interested, call_later, wrong_person, do_not_call, human])");
        assertProblem("""
                name: Broken
                start: hello
                intents:
                  human: nobody
                states:
                  hello:
                    goal: Greet.
                    say: ["Hello."]
                    outcome: booked
                """, "line 4", "intent 'human' goes to 'nobody', which is not among the states [hello] (or 'off')");
    }

    private static void assertProblem(String yaml, String line, String problem) {
        assertThatThrownBy(() -> ScriptLoader.load(named(yaml)))
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining(line)
                .hasMessageContaining(problem);
    }

    private static ByteArrayResource named(String yaml) {
        return new ByteArrayResource(yaml.getBytes(), "broken.yaml");
    }
}
