@op:enrollmentConfigurationAssignment.update
Feature: Update enrollmentConfigurationAssignment: generated bodies
  Bodies generated from Graph's CSDL-derived type model (internal/generate), the way Schemathesis generates
  them from a schema: valid ones with random legal values, invalid ones by mutation class (each class's own
  cases first, in a fixed order, then random ones), and ones whose answer Graph does not pin down. The run's
  seed (every run prints it; --seed replays it) generates the same bodies again. A failing body is shrunk to
  a minimal one and reported with a curl command that reproduces it. Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist

  @req:ECA-UPDATE-020 @must
  Scenario: Generated valid bodies are stored exactly
    The service MUST answer a PATCH whose body is valid for the type model (a target of any type the metadata defines, with any legal values: non-BMP characters, combining marks, long strings) with a 2xx; a response body MUST hold the target sent, and a GET MUST then return it exactly, strings byte for byte.

    When the client PATCHes the assignment with generated valid bodies
    Then each generated body was accepted, echoed and read back exactly

  @req:ECA-UPDATE-021 @must
  Scenario Outline: Generated invalid bodies are refused without a trace: <class>
    The service MUST answer a PATCH whose body is invalid (not JSON, not UTF-8, not an object, or not valid for the type model) with 400 Bad Request and a Graph error body, never with a server error, and MUST leave the assignment unchanged.

    When the client PATCHes the assignment with generated bodies of the class "<class>"
    Then each generated body was refused with 400 and a Graph error, and left the assignment unchanged

    Examples:
      | class                 |
      | wrong JSON type       |
      | undeclared property   |
      | bad @odata.type       |
      | not a JSON object     |
      | invalid UTF-8         |
      | deep nesting          |
      | number beyond float64 |
      | very long string      |
      | random combination    |

  @req:ECA-UPDATE-022 @must
  Scenario Outline: Bodies whose answer Graph does not pin down break nothing: <class>
    The service MUST answer a PATCH whose body Graph's conventions leave open without a server error; it may apply the body or refuse it, but afterwards the assignment MUST hold its previous target or one reading of the body, and the configuration MUST hold no other assignment.

    Duplicate member names: RFC 8259 says names SHOULD be unique and leaves to the reader which one counts.
    A target without @odata.type: by OData's minimal-metadata rule it is an instance of the declared type,
    deviceAndAppManagementAssignmentTarget, which the metadata marks Abstract. OData server libraries refuse to
    instantiate an abstract type (400), yet the doc page's own example sends that abstract type and expects 200
    (ECA-UPDATE-001): the doc and OData disagree on exactly this body, so storing it as the base type and
    refusing it are both conformant. A derived type's property in such a target (a groupId) is undeclared on the
    declared type, which pins that body down: it is refused (ECA-UPDATE-021, "bad @odata.type").

    When the client PATCHes the assignment with generated bodies of the class "<class>"
    Then no generated body was answered with a server error or changed what it must not

    Examples:
      | class                      |
      | duplicate keys             |
      | target without @odata.type |
