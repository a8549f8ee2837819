@op:deviceEnrollmentConfiguration.create
Feature: Create deviceEnrollmentConfiguration: generated bodies
  Valid create bodies of every concrete deviceEnrollmentConfiguration type, generated from Graph's CSDL-derived
  type model (every property but those the server generates, random legal values). Written by hand.

  @req:DEC-CREATE-020 @must
  Scenario: Generated valid configurations are created exactly
    The service MUST answer a POST of a valid enrollment configuration of any concrete type the metadata defines, with any legal values, with a 2xx and the created configuration holding every property sent, and a GET of the new configuration MUST return them exactly.

    When the client creates enrollment configurations with generated valid bodies
    Then each generated body was created, echoed and read back exactly
