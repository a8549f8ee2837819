@op:deviceEnrollmentLimitConfiguration.create
Feature: Create deviceEnrollmentLimitConfiguration: generated bodies
  Valid create bodies generated from Graph's CSDL-derived type model: every property but those the server
  generates, with random legal values. Only the configuration type the family's doc pages create: the metadata
  says nothing of the rules each other type's service applies (a Windows Hello PIN's minimum length below its
  maximum), so a body valid for the metadata alone could be refused by a conformant service. Written by hand.

  @req:DELC-CREATE-020 @must
  Scenario: Generated valid limit configurations are created exactly
    The service MUST answer a POST of a valid device enrollment limit configuration, with any legal values (non-BMP characters and combining marks in its names), with a 2xx and the created configuration holding every property sent, and a GET of the new configuration MUST return them exactly.

    When the client creates enrollment configurations of the type "microsoft.graph.deviceEnrollmentLimitConfiguration" with generated valid bodies
    Then each generated body was created, echoed and read back exactly
