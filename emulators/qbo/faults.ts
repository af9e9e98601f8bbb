// Fault bodies exactly as QuickBooks Online sends them. Wording comes from
// recorded sandbox traffic; where no recording exists the text follows the
// same pattern and is marked as such.

export interface QboErrorItem {
  Message: string;
  Detail: string;
  code: string;
  element: string;
}

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault';

/** A fault raised while processing; turned into an HTTP 400/500 JSON body (or a batch item fault). */
export class QboFault extends Error {
  constructor(
    readonly errors: QboErrorItem[],
    readonly type: FaultType = 'ValidationFault',
    readonly status = 400,
  ) {
    super(errors.map((e) => `${e.code} ${e.Message}`).join('; '));
  }

  fault(): { Error: QboErrorItem[]; type: FaultType } {
    return { Error: this.errors, type: this.type };
  }
}

function v(code: string, Message: string, Detail: string, element = ''): QboFault {
  return new QboFault([{ Message, Detail, code, element }]);
}

export const faults = {
  duplicateName(): QboFault {
    return v(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
    );
  },
  duplicateItemName(): QboFault {
    return v(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists. : Another product or service is already using this name. Please use a different name.',
    );
  },
  duplicateAccountName(): QboFault {
    return v(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists. : Another account is already using this name.  Please use a different name.',
    );
  },
  duplicateDocNumber(docNumber: string, txnType: string, txnId: string): QboFault {
    return v(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
    );
  },
  stringLength(element: string, max: number, supplied: number): QboFault {
    return v(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
      element,
    );
  },
  invalidChars(element: string, value: string): QboFault {
    return v('2040', 'Invalid String. The String may contain unsupported or illegal chars', `Element contains invalid characters. ${value}`, element);
  },
  /** A read by an id that is not a number (minimul/qbo_api spec/vcr/error/500.yml: GET /customer/1.5). */
  invalidId(supplied: string): QboFault {
    return v('2030', 'Invalid ID', `Id should be a valid number. Supplied value:${supplied}`, 'Id');
  },
  objectNotFound(): QboFault {
    return v(
      '610',
      'Object Not Found',
      "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
    );
  },
  invalidReference(detail: string): QboFault {
    return v('2500', 'Invalid Reference Id', `Invalid Reference Id : ${detail}`);
  },
  staleObject(): QboFault {
    return v(
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and root were working on this at the same time. root finished before you did, so your work was not saved.',
    );
  },
  requiredParam(param: string): QboFault {
    return v('2020', 'Required param missing, need to supply the required value for the API', `Required parameter ${param} is missing in the request`, param);
  },
  amountCalculation(supplied: number): QboFault {
    const shown = supplied.toLocaleString('en-US', { maximumFractionDigits: 10 });
    return v('6070', 'Amount calculation incorrect in the request.', `Amount is not equal to UnitPrice * Qty. Supplied value:${shown}`, 'Line.Amount');
  },
  businessValidation(detail: string): QboFault {
    return v('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`);
  },
  unsupportedProperty(property: string, entity: string): QboFault {
    return v(
      '2010',
      'Request has invalid or unsupported property',
      `Property Name:Unrecognized field "${property}" (class com.intuit.schema.finance.v3.${entity}), not marked as ignorable specified is unsupported or invalid`,
    );
  },
  malformedBody(detail: string): QboFault {
    return v('2010', 'Request has invalid or unsupported property', `Property Name:${detail} specified is unsupported or invalid`);
  },
  unsupportedOperation(detail: string): QboFault {
    return v('500', 'Unsupported Operation', detail);
  },
  queryParse(detail: string): QboFault {
    return v('4000', 'Error parsing query', `QueryParserError: ${detail}`);
  },
  queryValidation(detail: string): QboFault {
    return v('4001', 'Invalid query', `QueryValidationError: ${detail}`);
  },
  requestIdTooLong(requestId: string): QboFault {
    return faults.businessValidation(
      `You cannot enter more than 50 characters in the request_id field. You tried entering ${requestId.slice(0, 10)}..., which is ${requestId.length} characters.`,
    );
  },
  systemFault(): QboFault {
    return new QboFault(
      [
        {
          Message: 'An application error has occurred while processing your request',
          Detail:
            'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
          code: '10000',
          element: '',
        },
      ],
      'SystemFault',
      500,
    );
  },
};

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** The throttle answer: XML even when JSON was asked for (as the real gateway does). */
export function throttleXml(time: string): string {
  return (
    `${XML_HEAD}\n<IntuitResponse time="${time}" xmlns="http://schema.intuit.com/finance/v3">\n` +
    '    <Fault type="SERVICE">\n' +
    '        <Error code="3001">\n' +
    '            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>\n' +
    '            <Detail>The request limit was reached.  Try again later</Detail>\n' +
    '        </Error>\n' +
    '    </Fault>\n' +
    '</IntuitResponse>\n'
  );
}

/**
 * The data service's XML authentication fault. Sent (as XML whatever the Accept header says) when the gateway let
 * a valid token through but the company behind the URL is not the one it was issued for: Intuit reproduced it with
 * an "incorrect token/realm combination" (intuit/oauth-jsclient issue 91).
 */
export function authXml(time: string): string {
  return (
    `${XML_HEAD}<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${time}">` +
    '<Fault type="AuthenticationFault"><Error code="100"><Message>General Authentication Error</Message>' +
    '<Detail>AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401</Detail></Error></Fault></IntuitResponse>'
  );
}

/**
 * The API gateway's JSON authentication fault (lowercase keys, epoch `time`): expired, revoked, unknown or
 * malformed bearer tokens. The detail says which (minimul/qbo_api spec/vcr/error/401.yml: "Token expired: …";
 * routablehq/python-quickbooks issue 250: "Malformed bearer token: too short or too long").
 */
export function authJson(detail: string, epochMs: number): Record<string, unknown> {
  return gatewayJson('message=AuthenticationFailed; errorCode=003200; statusCode=401', detail, '3200', 'AUTHENTICATION', epochMs);
}

/** The gateway's JSON authorization fault (403, code 3100): an app not authorized for the company, e.g. development keys on a production company. */
export function authorizationJson(epochMs: number): Record<string, unknown> {
  return gatewayJson('message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403', '', '3100', 'SERVICE', epochMs);
}

function gatewayJson(message: string, detail: string, code: string, type: string, epochMs: number): Record<string, unknown> {
  return {
    warnings: null,
    intuitObject: null,
    fault: { error: [{ message, detail, code, element: null }], type },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: epochMs,
    status: null,
    cdcresponse: [],
  };
}

/** What the load balancer answers when the service behind it is down. */
export const GATEWAY_503_HTML =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body bgcolor="white">\r\n' +
  '<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
