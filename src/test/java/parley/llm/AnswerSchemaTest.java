package parley.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerSchemaTest {

    private static AnswerSchema booking() {
        Map<String, SlotType> slots = new LinkedHashMap<>();
        slots.put("name", new SlotType.Name(true));
        slots.put("email", new SlotType.Email(false));
        slots.put("phone", new SlotType.Phone(false));
        slots.put("when", new SlotType.DateTime(false));
        slots.put("plan", new SlotType.Choice(List.of("basic", "pro"), false));
        slots.put("note", new SlotType.Text(false));
        return new AnswerSchema(List.of("book", "goodbye"), slots);
    }

    @Test
    void theInstructionPutsSayFirstAndListsStatesAndTypedSlots() {
        assertThat(booking().instruction()).isEqualTo("""
                Reply with one JSON object and nothing else, its fields in this order:
                {
                  "say": string, // the words to speak to the caller, plain text
                  "next_state": "book" | "goodbye",
                  "slots": {
                    "name": name,
                    "email"?: email,
                    "phone"?: phone (digits, international form +CC... when known),
                    "when"?: datetime (ISO-8601, e.g. 2026-03-14T15:30),
                    "plan"?: one of [basic, pro],
                    "note"?: text,
                  }
                }
                Slots marked ? are optional: leave out what the caller has not said.
                """);
        assertThat(new AnswerSchema(List.of("a\"b"), Map.of()).instruction())
                .contains("\"next_state\": \"a\\\"b\",\n  \"slots\": {}\n}\n")
                .doesNotContain("optional");
    }

    @Test
    void aFittingAnswerComesBackTyped() {
        Verdict verdict = booking().validate("""
                {"say": "Booked.", "next_state": "book", "slots": {"name": " Ann Lee ", "email": "ann@example.com",
                 "phone": "+44 (20) 7946-0958", "when": "2026-03-14T15:30+01:00", "plan": "pro", "note": null}}""");
        assertThat(verdict).isEqualTo(new Verdict.Valid(new Answer("book", Map.of(
                "name", "Ann Lee", "email", "ann@example.com", "phone", "+442079460958",
                "when", OffsetDateTime.parse("2026-03-14T15:30+01:00"), "plan", "pro"), "Booked.")));

        Verdict local = booking().validate("""
                {"say": "Ok", "next_state": "goodbye",
                 "slots": {"name": "Bo", "when": "2026-03-14T15:30", "phone": "020 7946"}}""");
        assertThat(((Verdict.Valid) local).answer().slots())
                .containsEntry("when", LocalDateTime.parse("2026-03-14T15:30"))
                .containsEntry("phone", "0207946");
    }

    @Test
    void everyProblemIsNamedByField() {
        Verdict verdict = booking().validate("""
                {"say": 3, "next_state": "checkout", "mood": "happy",
                 "slots": {"email": "bob-at-example", "phone": "call me", "when": "tomorrow at 3",
                           "plan": "Pro", "note": 7, "age": "40"}}""");
        assertThat(verdict).isEqualTo(new Verdict.Invalid(List.of(
                new Problem("mood", "is not a field of the answer"),
                new Problem("say", "must be a string"),
                new Problem("next_state", "\"checkout\" is not one of [book, goodbye]"),
                new Problem("slots.age", "is not a slot here; slots are [name, email, phone, when, plan, note]"),
                new Problem("slots.name", "is required"),
                new Problem("slots.email", "\"bob-at-example\" is not an e-mail address"),
                new Problem("slots.phone", "\"call me\" is not a phone number"),
                new Problem("slots.when", "\"tomorrow at 3\" is not an ISO-8601 date-time"),
                new Problem("slots.plan", "\"Pro\" is not one of [basic, pro]"),
                new Problem("slots.note", "must be a string"))));
    }

    @Test
    void missingBlankAndMalformedAnswersAreProblemsToo() {
        AnswerSchema schema = new AnswerSchema(List.of("end"), Map.of());
        assertThat(schema.validate("{\"say\":\"  \"}")).isEqualTo(new Verdict.Invalid(List.of(
                new Problem("say", "is blank"), new Problem("next_state", "is missing"))));
        assertThat(schema.validate("{\"say\":\"Hi\",\"next_state\":\"end\",\"slots\":[]}")).isEqualTo(
                new Verdict.Invalid(List.of(new Problem("slots", "must be an object"))));
        assertThat(schema.validate("[1]")).isEqualTo(
                new Verdict.Invalid(List.of(new Problem("answer", "must be a JSON object"))));
        assertThat(((Verdict.Invalid) schema.validate("{\"say\":\"a\",\"say\":\"b\",\"next_state\":\"end\"}"))
                .problems()).singleElement().extracting(Problem::message).asString()
                .startsWith("is not valid JSON: Duplicate field 'say'");
    }

    @Test
    void aSchemaNeedsAStateAndChoicesNeedValues() {
        assertThatThrownBy(() -> new AnswerSchema(List.of(), Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotType.Choice(List.of(), true)).isInstanceOf(IllegalArgumentException.class);
    }
}
